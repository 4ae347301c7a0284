"""newsbrief: many articles about one story in, one short sourced brief out.

    >>> import newsbrief
    >>> result = newsbrief.read_paths(["../shared/seeds"])
    >>> brief = newsbrief.brief(result.articles, words=150)
    >>> print(newsbrief.to_markdown(brief))
"""

from newsbrief.errors import (
    InputError,
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
from newsbrief.pipeline import brief, brief_paths
from newsbrief.readers import ReadResult, read_paths
from newsbrief.render import SCHEMA, render, to_dict, to_html, to_json, to_markdown
from newsbrief.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "Article",
    "Brief",
    "BriefSentence",
    "CleanArticle",
    "Copy",
    "InputError",
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
