"""newsbrief: many articles about one story in, one short sourced brief out.

    >>> import newsbrief
    >>> result = newsbrief.read_paths(["../shared/seeds"])
    >>> brief = newsbrief.brief(result.articles, words=150)
    >>> print(newsbrief.to_markdown(brief))

The model types, settings, errors and renderers load with the package (the name
``render`` must be the function, not the subpackage of the same name); the stages (and the
libraries they need: spaCy, scikit-learn, trafilatura) load on first use of a name
that needs them, so ``import newsbrief`` and ``newsbrief --help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsbrief.errors import (
    InputError,
    MissingExtraError,
    NewsbriefError,
    NoArticlesError,
    SettingsError,
    StoreError,
)
from newsbrief.model import (
    Article,
    Brief,
    BriefSentence,
    CleanArticle,
    Copy,
    Paragraph,
    Problem,
    Removed,
    Sentence,
    Support,
    Syndication,
)
from newsbrief.render import SCHEMA, render, to_dict, to_html, to_json, to_markdown
from newsbrief.settings import Settings, StorySettings

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and IDEs
    from newsbrief.pipeline import brief, brief_paths
    from newsbrief.readers import ReadResult, read_paths

__version__ = "0.1.0"

_LAZY = {
    "brief": "newsbrief.pipeline",
    "brief_paths": "newsbrief.pipeline",
    "ReadResult": "newsbrief.readers",
    "read_paths": "newsbrief.readers",
}


def __getattr__(name: str) -> Any:
    """Import a stage's public name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsbrief' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "SCHEMA",
    "Article",
    "Brief",
    "BriefSentence",
    "CleanArticle",
    "Copy",
    "InputError",
    "MissingExtraError",
    "NewsbriefError",
    "NoArticlesError",
    "Paragraph",
    "Problem",
    "ReadResult",
    "Removed",
    "Sentence",
    "Settings",
    "SettingsError",
    "StoreError",
    "StorySettings",
    "Support",
    "Syndication",
    "__version__",
    "brief",
    "brief_paths",
    "read_paths",
    "render",
    "to_dict",
    "to_html",
    "to_json",
    "to_markdown",
]
