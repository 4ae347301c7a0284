"""The quality gate (evaluation/gate.py): floors file, comparison, exit codes.

Hand-made numbers only: nothing here reads ../shared or runs an evaluation, so these
tests run anywhere. The gate itself runs as ``make gate``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from evaluation import gate
from evaluation.gate import Floor, GateError, compare, failures, load_floors, parse_floors


def _floor(metric: str, floor: float, tolerance: float = 0.0) -> Floor:
    return Floor(metric, floor, tolerance, noise="made up", source="made up")


FLOORS = [_floor("a.f1", 0.50, 0.02), _floor("b.f1", 0.80)]


def test_value_below_floor_minus_tolerance_fails_and_is_named() -> None:
    results = compare({"a.f1": 0.479, "b.f1": 0.90}, FLOORS)
    assert failures(results) == ["a.f1"]
    assert [r.metric for r in results] == ["a.f1", "b.f1"]  # floor order
    assert results[0].value == 0.479 and results[0].floor == 0.50 and not results[0].passed


def test_every_failing_metric_is_named() -> None:
    assert failures(compare({"a.f1": 0.1, "b.f1": 0.7999}, FLOORS)) == ["a.f1", "b.f1"]


def test_values_within_tolerance_pass() -> None:
    # a.f1 is below its floor but within its tolerance; b.f1 (tolerance 0) sits on its floor
    results = compare({"a.f1": 0.485, "b.f1": 0.80}, FLOORS)
    assert failures(results) == []
    assert all(r.passed for r in results)


def test_exactly_floor_minus_tolerance_passes_despite_float_rounding() -> None:
    # 0.5 - 0.02 is 0.48 only up to float rounding; the value that was measured must pass
    assert failures(compare({"a.f1": 0.48, "b.f1": 0.8}, FLOORS)) == []


def test_a_value_that_is_not_a_number_fails() -> None:
    assert failures(compare({"a.f1": math.nan, "b.f1": 0.9}, FLOORS)) == ["a.f1"]


def test_missing_metric_is_an_error_naming_it() -> None:
    with pytest.raises(GateError, match=r"no value for b\.f1"):
        compare({"a.f1": 0.9}, FLOORS)


def test_metric_without_floor_is_an_error_naming_it() -> None:
    with pytest.raises(GateError, match=r"no floor for c\.f1"):
        compare({"a.f1": 0.9, "b.f1": 0.9, "c.f1": 0.9}, FLOORS)


def test_floors_file_parses_and_every_computed_metric_has_a_floor() -> None:
    spec = load_floors(gate.DEFAULT_FLOORS)
    computed = [m for names in gate.METRICS.values() for m in names]
    assert sorted(f.metric for f in spec.floors) == sorted(computed)
    assert set(gate.METRICS) == set(gate.EVALUATIONS)
    for f in spec.floors:
        assert f.metric.split(".")[0] in gate.METRICS
        assert f.tolerance >= 0
        assert -1.0 <= f.floor <= 1.0, f"{f.metric}: scores are fractions, not points"
        assert f.noise.strip() and f.source.strip()
    assert spec.subsets.rouge_every >= 1 and spec.subsets.polnear_every >= 1


def _document(**change: Any) -> dict[str, Any]:
    metric = {"name": "a.f1", "floor": 0.5, "tolerance": 0.0, "noise": "n", "source": "s"}
    metric.update(change)
    subset = {"rouge_every": 2, "rouge_words": 300, "polnear_every": 1, "stories_seed": 0}
    return {"subset": subset, "metric": [metric]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tolerance": -0.1}, "tolerance must not be negative"),
        ({"floor": "high"}, "floor: expected a finite number"),
        ({"floor": True}, "floor: expected a finite number"),
        ({"noise": ""}, "noise: expected a non-empty string"),
        ({"tolerence": 0.1}, r"unknown keys \['tolerence'\]"),
    ],
)
def test_malformed_floor_is_rejected_with_the_reason(change: dict[str, Any], message: str) -> None:
    with pytest.raises(GateError, match=message):
        parse_floors(_document(**change))


def test_a_metric_given_twice_is_rejected() -> None:
    doc = _document()
    doc["metric"] = doc["metric"] * 2
    with pytest.raises(GateError, match=r"a\.f1: given twice"):
        parse_floors(doc)


def test_unreadable_floors_file_is_a_gate_error(tmp_path: Path) -> None:
    bad = tmp_path / "floors.toml"
    bad.write_text("[subset\n", encoding="utf-8")
    with pytest.raises(GateError, match="not valid TOML"):
        load_floors(bad)
    with pytest.raises(GateError, match="cannot read the floors file"):
        load_floors(tmp_path / "absent.toml")


# --------------------------------------------------------------------------- main, faked


MEASURED = {m: 0.5 for names in gate.METRICS.values() for m in names}


def _floors_file(path: Path, floor: float, only: str | None = None) -> Path:
    """A floors file with every metric at 0.5, except ``only`` (or all) at ``floor``."""
    lines = ["[subset]", "rouge_every = 2", "rouge_words = 300", "polnear_every = 1",
             "stories_seed = 0"]
    for m in MEASURED:
        value = floor if only in (None, m) else 0.5
        lines += ["[[metric]]", f'name = "{m}"', f"floor = {value}", "tolerance = 0.0",
                  'noise = "n"', 'source = "s"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def faked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every evaluation replaced by one that returns 0.5 for each of its metrics."""
    for name, metrics in gate.METRICS.items():
        values = {m: MEASURED[m] for m in metrics}
        monkeypatch.setitem(gate.EVALUATIONS, name, lambda *_, v=values: (dict(v), {"fake": 1}))


@pytest.mark.usefixtures("faked")
def test_main_passes_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "gate.json"
    assert gate.main(["--floors", str(_floors_file(tmp_path / "f.toml", 0.4)),
                      "--json", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["exit"] == 0 and record["failures"] == [] and record["errors"] == {}
    assert record["values"] == MEASURED
    assert {r["metric"] for r in record["results"]} == set(MEASURED)


@pytest.mark.usefixtures("faked")
def test_main_exits_1_naming_the_metric_below_an_impossible_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    floors = _floors_file(tmp_path / "f.toml", 0.99, only="stories.bcubed_f1")
    assert gate.main(["--floors", str(floors)]) == 1
    captured = capsys.readouterr()
    assert "below floor minus tolerance: stories.bcubed_f1" in captured.err
    assert "FAIL" in captured.out


@pytest.mark.usefixtures("faked")
def test_main_exits_2_naming_a_crashed_evaluation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(*_: object) -> tuple[dict[str, float], dict[str, Any]]:
        raise RuntimeError("boom")

    monkeypatch.setitem(gate.EVALUATIONS, "polnear", crash)
    out = tmp_path / "gate.json"
    code = gate.main(["--floors", str(_floors_file(tmp_path / "f.toml", 0.4)), "--json", str(out)])
    assert code == 2
    assert "polnear: crashed: RuntimeError: boom" in capsys.readouterr().err
    record = json.loads(out.read_text(encoding="utf-8"))
    # the other evaluations still ran and were compared with their floors
    assert {r["metric"].split(".")[0] for r in record["results"]} == set(gate.EVALUATIONS) - {
        "polnear"
    }


def test_main_exits_2_when_data_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gate.main(["--only", "rouge", "--shared", str(tmp_path)]) == 2
    assert "rouge: no Multi-News dev100 at" in capsys.readouterr().err


def test_main_exits_2_on_a_malformed_floors_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "f.toml"
    bad.write_text("[subset]\nrouge_every = 0\n", encoding="utf-8")
    assert gate.main(["--floors", str(bad)]) == 2
    assert "subset.rouge_every: expected a whole number of at least 1" in capsys.readouterr().err
