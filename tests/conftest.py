"""Shared fixtures and the ``--slow`` option.

Two kinds of input:

* the hand-written fixture story in ``tests/fixtures/story`` (five articles
  about one invented event, see ``tests/fixtures/README.md``): every stage's
  unit tests run on it, anywhere;
* the seed cluster and data in the ``shared`` folder beside the checkout: tests
  that need them skip, saying so, where it is absent.

Tests marked ``slow`` (over about 3 s) run only with ``pytest --slow``, as in
spaCy, so that the everyday ``pytest`` stays quick; ``make test`` (and so CI)
passes ``--slow``. Tests marked ``browser`` skip when Chromium or Playwright is
missing, unless ``NEWSBRIEF_REQUIRE_BROWSER=1`` (CI) turns that into a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.model import Brief

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
STORY = Path(__file__).resolve().parent / "fixtures" / "story"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow", action="store_true", default=False,
        help="also run the tests marked slow (make test and CI do)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow test: run with pytest --slow (make test does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def story_dir() -> Path:
    """The fixture story: five short articles about one invented event, as plain text,
    JSON lines and HTML."""
    return STORY


@pytest.fixture(scope="session")
def story_brief(story_dir: Path) -> Brief:
    """The brief of the fixture story at the default length, with every section."""
    from newsbrief.pipeline import brief_paths

    (result,) = brief_paths([story_dir])
    return result


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (the shared folder beside the checkout)")
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}")
    return DATA


@pytest.fixture(scope="session")
def seed_brief(seeds_dir: Path) -> Brief:
    from newsbrief.pipeline import brief_paths

    return brief_paths([seeds_dir])[0]
