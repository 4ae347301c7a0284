"""The errors newsbrief raises. One root, so callers can catch everything at once::

    NewsbriefError
    ├── InputError          an input could not be read (names the file and the problem)
    │   └── NoArticlesError nothing usable was found in what was given
    ├── SettingsError       an option is out of range
    └── StoreError          the article store could not be opened or written
"""

from __future__ import annotations


class NewsbriefError(Exception):
    """Root of every error newsbrief raises on purpose."""


class InputError(NewsbriefError):
    """An input could not be read; the message names where and what is wrong."""

    def __init__(self, origin: str, message: str) -> None:
        super().__init__(f"{origin}: {message}")
        self.origin = origin
        self.problem = message


class NoArticlesError(InputError):
    """No usable article was found in the inputs."""


class SettingsError(NewsbriefError, ValueError):
    """An option is out of its allowed range; the message says which and why."""


class StoreError(NewsbriefError):
    """The article store could not be opened or written."""
