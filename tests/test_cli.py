"""End to end through the command line, including bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsbrief.cli import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_brief_seeds_in_each_format(seeds_dir: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, md, err = _run(["brief", str(seeds_dir)], capsys)
    assert code == 0, err
    assert md.startswith("# ") and "[1][2]" in md
    code, js, _ = _run(["brief", str(seeds_dir), "--format", "json"], capsys)
    assert code == 0 and json.loads(js)["syndication"][0]["copy_id"] == "a1"
    out = tmp_path / "b.html"
    code, _, _ = _run(["brief", str(seeds_dir), "--format", "html", "-o", str(out)], capsys)
    assert code == 0 and "<mark id=" in out.read_text(encoding="utf-8")


def test_bad_inputs_are_named_and_the_rest_is_briefed(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    (bad / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (bad / "nav.html").write_text("<html><body><nav>Home | About</nav></body></html>")
    big = bad / "huge.txt"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    (tmp_path / "nothing").mkdir()
    code, md, err = _run(["brief", str(seeds_dir), str(bad), str(tmp_path / "nothing")], capsys)
    assert code == 1
    assert "[1][2]" in md  # the seeds were still briefed
    assert f"{bad / 'empty.txt'}: file is empty" in err
    assert f"{bad / 'binary.txt'}: binary file" in err
    assert f"{bad / 'latin1.txt'}: not valid UTF-8 (bad byte 0xe9 at offset 3)" in err
    assert f"{bad / 'nav.html'}: HTML page holds no article text" in err
    assert f"{big}: file is 52.4 MB, over the 21.0 MB limit" in err
    assert f"{tmp_path / 'nothing'}: folder holds no article files" in err


def test_nothing_readable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, out, err = _run(["brief", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert "no article could be read" in err and "empty.txt: file is empty" in err


def test_single_article_is_briefed_with_a_note(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, md, err = _run(["brief", str(next(seeds_dir.glob("002_*"))), "--words", "80"], capsys)
    assert code == 0
    assert "only one article" in err and "[1]" in md


def test_bad_option_is_a_clear_error(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["brief", str(seeds_dir), "--words", "5"], capsys)
    assert code == 2 and "words must be between 20 and 5000, got 5" in err


@pytest.mark.slow  # a fresh interpreter loads spaCy and the models again: about 4 s
def test_console_script_runs_in_a_fresh_process(story_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "brief", str(story_dir), "--words", "100"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(
        "# Marrowfield told to boil water after solvent found in Wren River\n")
    assert "copy of [2]" in proc.stdout and proc.stderr == ""


def test_fixture_story_through_the_command_line(
    story_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, js, err = _run(["brief", str(story_dir), "--format", "json", "--words", "100"], capsys)
    assert code == 0 and err == ""
    data = json.loads(js)
    (syndication,) = data["syndication"]
    assert (syndication["copy_id"], syndication["original_id"]) == ("a2", "a1")
    assert 0.6 <= syndication["share"] <= 1  # the re-post is the wire plus site furniture
    assert 90 <= data["words"] <= 110 and data["distinct_sources"] == 4
    names = tmp_path / "names.json"
    names.write_text(json.dumps({"marrowfield-courier.txt": "Marrowfield Courier"}))
    code, md, _ = _run(["brief", str(story_dir), "--sources", str(names)], capsys)
    assert code == 0
    assert "3. **Marrowfield Courier** — Boil-Water Warning" in md


def test_source_names_file_names_the_outlets(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = tmp_path / "names.json"
    names.write_text(json.dumps({"001_3d8ef4d761f4ed3d.txt": "SOFREP"}), encoding="utf-8")
    code, md, _ = _run(["brief", str(seeds_dir), "--sources", str(names)], capsys)
    assert code == 0 and "**SOFREP**" in md and "copy of [1]" in md
    names.write_text("[1, 2]", encoding="utf-8")
    code, _, err = _run(["brief", str(seeds_dir), "--sources", str(names)], capsys)
    assert code == 2 and f"{names}: expected a JSON object" in err


def test_headline_only_article_exits_1_with_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "head.txt").write_text("Storm Batters Coast As Thousands Lose Power\n")
    code, md, err = _run(["brief", str(tmp_path)], capsys)
    assert code == 1 and md.startswith("# Storm Batters Coast")
    assert "no sentence could be selected" in err
