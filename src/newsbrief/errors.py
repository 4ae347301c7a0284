"""The errors newsbrief raises. One root, so callers can catch everything at once::

    NewsbriefError
    ├── InputError          an input could not be read (names the file and the problem)
    │   └── NoArticlesError nothing usable was found in what was given
    ├── SettingsError       an option is out of range (also a ValueError)
    ├── StoreError          the article store could not be opened or written
    └── MissingExtraError   an optional part is not installed (says which extra to install)

``shown`` is the one way a path or any text from the input is put into a message.
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


class MissingExtraError(NewsbriefError, ImportError):
    """An optional dependency is missing; the message names the extra that installs it."""

    def __init__(self, extra: str, what: str, missing: str | None = None) -> None:
        lack = f" ({missing} is not installed)" if missing else ""
        super().__init__(
            f"{what} needs the {extra!r} extra{lack}: pip install 'newsbrief[{extra}]'"
        )
        self.extra = extra


def require(module: str, extra: str, what: str) -> object:
    """Import ``module`` or raise ``MissingExtraError`` naming ``extra``."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(extra, what, exc.name or module) from None


def shown(text: str) -> str:
    """``text`` (a path, an origin, a message) as shown to a user: every character that is
    not printable is escaped, so a file name cannot move the cursor, recolour the terminal,
    start a new line of output or reverse the text around it, and the bytes of a name that
    is not UTF-8 (``surrogateescape``, ``\\udcff``) read as the bytes they are (``\\xff``)
    instead of making the message unwritable."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # one undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
