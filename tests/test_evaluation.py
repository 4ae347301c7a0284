"""The ROUGE harness (evaluation/summaries.py) on three small Multi-News dev100 clusters."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # evaluation/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from evaluation import summaries as ev  # noqa: E402
from newsbrief.model import Article  # noqa: E402

CLUSTERS = ["multinews_4804", "multinews_1465", "multinews_3736"]  # 326-418 words each
SYSTEMS = ["newsbrief", "lead", "lexrank", "textrank"]


@pytest.fixture(scope="module")
def dev100(data_dir: Path) -> Path:
    path = data_dir / "multinews" / "dev100.jsonl"
    if not path.is_file():
        pytest.skip(f"Multi-News dev100 not found at {path} (shared folder beside the checkout)")
    return path


@pytest.fixture(scope="module")
def results(dev100: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eval")
    argv = ["--data", str(dev100), "--clusters", ",".join(CLUSTERS), "--out", str(out),
            "--save-outputs", "--quiet", "--timeout", "30"]
    assert ev.main(argv) == 0
    return out


def _csv(results: Path) -> list[dict[str, str]]:
    with (results / "summaries-dev100.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_one_row_per_cluster_and_system(results: Path) -> None:
    rows = _csv(results)
    assert len(rows) == len(CLUSTERS) * len(SYSTEMS)
    assert {(r["cluster"], r["system"]) for r in rows} == {
        (c, s) for c in CLUSTERS for s in SYSTEMS
    }


def test_every_system_scores_every_cluster(results: Path) -> None:
    rows = _csv(results)
    assert len(rows) == len(CLUSTERS) * len(SYSTEMS)
    for r in rows:
        where = f"{r['system']} on {r['cluster']}"
        assert r["status"] == "ok", f"{where}: {r['error']}"
        for metric in ("r1", "r2", "rlsum"):
            assert 0 < float(r[metric]) < 1, f"{where}: {metric} = {r[metric]}"
        assert float(r["seconds"]) >= 0
        assert int(r["words"]) > 0


def test_scored_outputs_are_cut_to_300_words(results: Path) -> None:
    outputs = [
        json.loads(line)
        for line in (results / "summaries-dev100-outputs.jsonl").read_text("utf-8").splitlines()
    ]
    assert len(outputs) == len(CLUSTERS) * len(SYSTEMS)
    for o in outputs:
        n = sum(len(s.split()) for s in o["summary"])
        assert 0 < n <= 300, f"{o['system']} on {o['cluster']}: {n} words"
    lead = [o for o in outputs if o["system"] == "lead"]
    assert len(lead) == len(CLUSTERS)
    # every one of these clusters has more than 300 words, so lead fills the budget exactly
    assert all(sum(len(s.split()) for s in o["summary"]) == 300 for o in lead)


def test_markdown_table_lists_every_system(results: Path) -> None:
    md = (results / "summaries-dev100.md").read_text("utf-8")
    for system in SYSTEMS:
        assert f"| {system} | 3 | 0 | 0 |" in md
    assert "R-2 newsbrief −" in md and "paired bootstrap 95% CI" in md
    assert "3 of 3 clusters" in md


def test_lead_takes_first_sentences_in_turn(dev100: Path) -> None:
    cluster = ev.load_clusters(dev100, ids=[CLUSTERS[0]])[0]
    articles = ev.cluster_articles(cluster)
    assert len(articles) >= 2
    firsts = [ev.split_article(a)[0] for a in articles]
    out = ev.lead(articles, 300)
    assert out[: len(firsts)] == firsts
    assert sum(len(s.split()) for s in out[:-1]) < 300 <= sum(len(s.split()) for s in out)


def test_cut_keeps_sentence_boundaries() -> None:
    assert ev.cut(["one two three.", "four five six.", "seven."], 5) == [
        "one two three.",
        "four five",
    ]
    assert ev.cut(["a b."], 300) == ["a b."]


def _sleepy(articles: Sequence[Article], words: int) -> list[str]:
    time.sleep(30)
    return ["never"]


def _broken(articles: Sequence[Article], words: int) -> list[str]:
    raise RuntimeError("broken on purpose")


def test_timeout_and_error_are_reported(dev100: Path) -> None:
    clusters = ev.load_clusters(dev100, ids=CLUSTERS[:1])
    systems: dict[str, ev.SystemFn] = {"sleepy": _sleepy, "broken": _broken, "lead": ev.lead}
    start = time.monotonic()
    rows = ev.run(clusters, systems, timeout=1)
    assert time.monotonic() - start < 15  # the sleeping worker is killed, not waited for
    by_system = {r.system: r for r in rows}
    assert len(rows) == 3
    assert by_system["sleepy"].status == "timeout"
    assert by_system["sleepy"].seconds == 1 and by_system["sleepy"].r2 is None
    assert by_system["broken"].status == "error"
    assert "broken on purpose" in by_system["broken"].error
    assert by_system["lead"].status == "ok" and by_system["lead"].r2
    rep = ev.report(rows, 300)
    stats = {s.system: s for s in rep.stats}
    assert (stats["sleepy"].finished, stats["sleepy"].timed_out) == (0, 1)
    assert (stats["broken"].finished, stats["broken"].failed) == (0, 1)
    assert rep.common == []  # means are only taken where every system finished
    assert any("sleepy on multinews_4804: timeout" in n for n in ev.notes(rep))


def test_duc_rouge_is_jackknifed_recall_as_nist_scored_it() -> None:
    from evaluation.duc2007 import rouge_recall

    refs = ["the cat sat on a mat", "a dog sat on the mat", "the cat ran"]
    # matched bigrams 3/5, 3/5, 1/2; each set of two references summed, the sets averaged
    expected = (4 / 7 + 4 / 7 + 6 / 10) / 3
    assert rouge_recall("the cat sat on the mat", refs) == pytest.approx(expected)
    assert rouge_recall("the cat sat on the mat", refs[:1]) == pytest.approx(3 / 5)
    # ROUGE-SU4: unigrams and word pairs at most four words apart
    assert rouge_recall("a b", ["a x x x x b"], "rougesu4") == pytest.approx(3 / 21)
    assert rouge_recall("a b", ["a x x x x x b"], "rougesu4") == pytest.approx(2 / 27)


def test_duc_scorer_agrees_with_the_official_scores(data_dir: Path) -> None:
    from evaluation.duc2007 import check_official, load_topics

    path = data_dir / "duc2007" / "main.jsonl"
    if not path.is_file():
        pytest.skip(f"DUC 2007 not found at {path} (shared folder beside the checkout)")
    topics = load_topics(path, part=None)[:3]
    check = check_official(topics)
    assert check["systems"] == 32
    assert check["mean_abs_diff"] < 0.002
    assert check["spearman"] > 0.97
