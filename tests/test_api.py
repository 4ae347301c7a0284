"""The public API: ``__all__`` complete and resolvable, heavy libraries loaded only when used."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

import newsbrief

HEAVY = ("spacy", "sklearn", "trafilatura", "dateparser", "scipy", "datasketch", "fastapi",
         "numpy")


def test_every_name_in_all_resolves() -> None:
    for name in newsbrief.__all__:
        assert getattr(newsbrief, name) is not None, name


def test_all_is_complete() -> None:
    public = {
        name for name in dir(newsbrief)
        if not name.startswith("_") and not isinstance(getattr(newsbrief, name), types.ModuleType)
        and name not in {"annotations", "importlib", "TYPE_CHECKING", "Any"}
    }
    assert public - set(newsbrief.__all__) == set()


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        newsbrief.no_such_name  # noqa: B018


@pytest.mark.parametrize("module", [
    "newsbrief",
    "newsbrief.cli",
    "newsbrief.settings",
    "newsbrief.model",
    "newsbrief.text",
    "newsbrief.store",  # `newsbrief stories` lists a store without numpy or any model
    "newsbrief.store.sqlite",
    "newsbrief.nlp",  # spaCy loads on the first parse, not on import
    "newsbrief.sentences",
    "newsbrief.quotes",
    "newsbrief.disputes",
    "newsbrief.timeline",
])
def test_light_modules_load_no_heavy_library(module: str) -> None:
    # a fresh interpreter: what this test process has loaded says nothing
    code = (f"import sys, {module}; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} loads {out.stdout.strip()}"


def test_help_loads_no_heavy_library() -> None:
    code = ("import sys\nfrom newsbrief.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', ' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("LOADED"), out.stdout.splitlines()[-1]


def test_listing_stories_loads_no_heavy_library(tmp_path: Path) -> None:
    from newsbrief.store import open_store

    db = tmp_path / "empty.db"
    open_store(db).close()  # a real (empty) store file
    code = ("import sys\nfrom newsbrief.cli import main\n"
            f"assert main(['stories', '--db', {str(db)!r}]) == 0\n"
            f"print('LOADED', ' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "no stories" in out.stdout
    assert out.stdout.strip().endswith("LOADED"), out.stdout.splitlines()[-1]


def test_render_is_the_function_even_after_the_subpackage_is_imported() -> None:
    code = ("import newsbrief.render.markdown, newsbrief\n"
            "print(callable(newsbrief.render), type(newsbrief.render).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "function"]
