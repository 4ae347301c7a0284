"""Clean: take boilerplate out of each article, and keep a record of every span taken out.

A paragraph (a line of the input) is judged in this order; the first rule that
fires gives the reason it is removed:

1. *data line*: mostly numbers and symbols (tables, tickers, logs), not prose;
2. *call-to-action or furniture*: a short paragraph matching one of the general
   patterns of news-site furniture (paywall, log-in, promo, read-more, share,
   comments, image credit, author bio, byline) in ``PATTERNS``;
3. *heading*: a line that is not a sentence (no closing punctuation) and is
   short or in title case (a long sentence-case line is prose and is kept);
   the first such line of reasonable length, before the body, is the headline;
4. *repeated paragraph*: the same paragraph already appeared in this article;
5. *repeated across articles*: a short line that three or more articles carry
   word for word (site templates, not news);
6. *inside boilerplate*: a short paragraph whose neighbours on both sides were
   removed (the jusText idea of context: boilerplate comes in blocks).

Lines broken in the middle of a sentence are joined first. Nothing is dropped
silently: every removed span comes back as a ``Removed`` with its reason.

The patterns are written by hand because no maintained library classifies
plain-text lines (jusText and trafilatura judge HTML blocks by markup and link
density, which plain text lacks); they describe site furniture in general, not
any one site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.model import Article, CleanArticle, Paragraph, Removed
from newsbrief.text import LETTER_WORD

__all__ = ["PATTERNS", "Reason", "clean", "clean_all"]


class Reason:
    """The reasons a span is removed, as they appear in reports."""

    DATA = "data line (numbers or symbols, not prose)"
    HEADLINE = "headline (kept as the title)"
    HEADING = "heading, label or caption (not a sentence)"
    REPEATED = "paragraph repeated inside the article"
    REPEATED_ACROSS = "line repeated across articles (site template)"
    CAPITALS = "slogan or label in capitals"
    CONTEXT = "short line inside a block of boilerplate"


# A sentence ends in terminal punctuation, then closing marks and brackets, then
# whitespace; or in a closing double quote mark.
_TERMINAL_PUNCTUATION = (".", "!", "?", "…")
_CLOSERS = "\"'”’)]"
_CLOSING_QUOTES = ("\"", "”")
_EDGE_PUNCTUATION = ",.;:!?\"'()“”‘’"
"""What may wrap a word of prose: a token is a word once these are stripped from its ends."""
_WORDY_TOKEN = re.compile(
    rf"(?<!\S)[{re.escape(_EDGE_PUNCTUATION)}]*{LETTER_WORD.pattern}"
    rf"[{re.escape(_EDGE_PUNCTUATION)}]*(?!\S)"
)
"""A whole whitespace-separated token that is a word once ``_EDGE_PUNCTUATION`` is stripped
from its ends (a word starts and ends with a letter, which that punctuation is not): one
regex pass over a line instead of a match per token."""
_NUMERIC_TOKEN = re.compile(r"(?<!\S)\S*?[0-9]")
"""A token with a digit, matched once per token (where the only digits, in the sense of
``str.isdigit``, are 0-9)."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NORMAL_WORD = re.compile(r"\w+")
_LINE = re.compile(r"\S(?:[^\n]*\S)?")
"""A line of the input (up to a line feed) with its surrounding whitespace left out."""
_STARTS_LOWER = re.compile(r"[\"“‘']?[a-z]")

# Each entry: reason, pattern, longest paragraph (in words) it may apply to.
# Limits keep a long news paragraph that merely mentions "subscribers" safe.
PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    (
        "paywall or subscription prompt",
        re.compile(
            r"free (article|stor(y|ies)|read)s?\b.*\blimit|reached (your|the) .*limit"
            r"|continue reading|to read (the|this) (full|whole|rest)"
            r"|^subscribe\b|\bsubscribe (now|today|to (read|continue|access))"
            r"|become a (subscriber|member)|already (a|an) (subscriber|member)"
            r"|subscribers? only|unlimited (digital )?access|ad-free"
            r"|\$\s?\d+(\.\d\d)?\s*(/|per|a)\s*(week|wk|month|mo|year|yr)\b"
            r"|your (free )?(trial|subscription)|support (our|independent) journalism",
            re.I,
        ),
        45,
    ),
    (
        "log-in or sign-up prompt",
        re.compile(
            r"^(log ?in|sign ?(up|in)|register)\b|\b(log ?in|sign ?in) to\b"
            r"|\bor (log ?in|sign ?in)\b|create (a|an|your) (free )?account|\blog in$",
            re.I,
        ),
        30,
    ),
    (
        "promotion or read-more link",
        re.compile(
            r"^(read|see|watch|listen)( more| the (whole|full|original) (story|article)"
            r"| also| next)\b|^more (from|on|stories)\b|^(related|recommended|trending|popular)"
            r"( (stories|articles|coverage|content|posts))?:?$|^(click|tap) here"
            r"|download (our|the) app|\bnewsletter\b|follow us on|try \d+ days? free"
            r"|free trial|^advertisement$|^sponsored\b|^promoted\b|^join [A-Z]\w+ (for|to|and)\b"
            r"|^(get|enjoy) (full|unlimited|exclusive) ",
            re.I,
        ),
        30,
    ),
    (
        "story highlights box",
        re.compile(r"^story highlights\b", re.I),
        150,
    ),
    (
        "share or social buttons",
        re.compile(
            r"^(share|tweet|email|print|pin it|save)( (this|on|article|story|via))?\b"
            r"|^(facebook|twitter|whatsapp|linkedin|pinterest|reddit|email)$",
            re.I,
        ),
        8,
    ),
    (
        "comments section",
        re.compile(
            r"^comments?( \(\d+\))?:?$|(view|post|leave|add|read) (a |the )?(comment|repl)"
            r"|join the (conversation|discussion)|comments (are|have been) (closed|disabled)"
            r"|^\d+ comments?$",
            re.I,
        ),
        30,
    ),
    (
        "image or photo credit",
        re.compile(
            r"^(featured |file |top )?(image|photo|picture|pic|video)s?( courtesy| credit|:| by| -)"
            r"|courtesy of (the )?(ap|reuters|afp|getty|associated press)\b"
            r"|(\(|\[)(ap|afp|reuters|getty( images)?|epa|shutterstock)( photo)?[^)\]]*(\)|\])\s*$"
            r"|(/|\|) ?(ap|afp|reuters|getty images|epa)( photo)?\s*$|^image copyright\b"
            r"|\b(reuters|ap photo|afp|getty images|epa|photo)/ ?[A-Z][\w.' -]{2,40}$",
            re.I,
        ),
        40,
    ),
    (
        "author or team bio",
        re.compile(
            r"^about (the )?(author|writer|[\w .'-]+ (team|staff|desk))\b|view all posts"
            r"|\b(is|are) an? ([\w-]+ ){0,4}(journalist|writer|reporter|correspondent|columnist"
            r"|collective|contributor|freelancer)s?\b"
            r"|editor-in-chief|follow (him|her|them|me) on",
            re.I,
        ),
        80,
    ),
    (
        "byline or date line",
        re.compile(
            r"^by [A-Z][\w.'’-]+( [A-Z][\w.'’-]+)*"
            r"((,| and|, and) [A-Z][\w.'’-]+( [A-Z][\w.'’-]+)*)*$"
            r"|^\d+ min(ute)?s? read$|^(updated|published|posted|last updated)\b"
            r"|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b.*\bby\b|^[-–—]? ?with (ap|afp|reuters|pti)\b",
            re.I,
        ),
        15,
    ),
]


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    reason: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def _normalise(text: str) -> str:
    if text.isascii():  # casefold is lower() there, and lowering moves no letter out of \w
        return " ".join(_NORMAL_WORD.findall(text.lower()))
    # elsewhere per word: casefold can change a letter into a letter and a mark ("İ")
    return " ".join(w.casefold() for w in _NORMAL_WORD.findall(text))


def _is_sentence(text: str) -> bool:
    # read from the end (rstrip() strips what \s matches): no scan of a long line
    text = text.rstrip()
    return text.endswith(_CLOSING_QUOTES) or text.rstrip(_CLOSERS).endswith(_TERMINAL_PUNCTUATION)


def _title_case(text: str) -> bool:
    """Headline style: most words capitalised (a long sentence-case line is prose)."""
    words = [w for w in LETTER_WORD.findall(text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _is_data(text: str) -> bool:
    tokens = text.split()
    if len(tokens) < 4:
        return False
    # tickers, logs and tables: many numbers and no sentence shape (tested first: a log
    # has thousands of such lines, and the count of words then need not be made)
    if text.isascii() or not any(ch.isdigit() for ch in _NON_ASCII.findall(text)):
        numeric = len(_NUMERIC_TOKEN.findall(text))
    else:  # a digit outside 0-9 ("²", "٣"): token by token
        numeric = sum(1 for t in tokens if any(ch.isdigit() for ch in t))
    if numeric / len(tokens) >= 0.3 and not _is_sentence(text):
        return True
    # few words of prose among the tokens: one regex pass, not a match per token
    return len(_WORDY_TOKEN.findall(text)) / len(tokens) < 0.5


def _split_lines(text: str) -> list[_Line]:
    return [_Line(m.start(), m.end(), m.group()) for m in _LINE.finditer(text)]


def _join_broken(lines: list[_Line], text: str) -> list[_Line]:
    """Join a line that stops mid-sentence with a next line that starts in lower case."""
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        starts_lower = _STARTS_LOWER.match(line.text) is not None
        if (
            prev is not None
            and starts_lower
            and not _is_sentence(prev.text)
            and prev.words >= 3
            and not prev.text.endswith(":")
        ):
            prev.end = line.end
            prev.text = prev.text + " " + line.text
            continue
        out.append(line)
    return out


def _pattern_reason(line: _Line) -> str | None:
    for reason, pattern, max_words in PATTERNS:
        if line.words <= max_words and pattern.search(line.text):
            return reason
    return None


def _judge(lines: list[_Line], has_title: bool, shared_lines: set[str]) -> str | None:
    title: str | None = None
    seen: set[str] = set()
    body_started = False
    for line in lines:
        norm: str | None = None  # only lines kept so far are compared: most are data lines
        if _is_data(line.text):
            line.reason = Reason.DATA
        elif reason := _pattern_reason(line):
            line.reason = reason
        elif line.words <= 8 and line.text.upper() == line.text and LETTER_WORD.search(line.text):
            line.reason = Reason.CAPITALS
        elif not _is_sentence(line.text) and (line.words < 12 or _title_case(line.text)):
            if not body_started and title is None and not has_title and 4 <= line.words <= 25:
                title = line.text
                line.reason = Reason.HEADLINE
            else:
                line.reason = Reason.HEADING
        elif (norm := _normalise(line.text)) and norm in seen:
            line.reason = Reason.REPEATED
        elif line.words <= 12 and norm in shared_lines:
            line.reason = Reason.REPEATED_ACROSS
        else:
            body_started = body_started or line.words >= 12
        if line.reason is None or line.reason == Reason.REPEATED:
            # both outcomes come after the comparison, so norm is set; the fallback is for mypy
            seen.add(_normalise(line.text) if norm is None else norm)
    _smooth(lines)
    return title


def _smooth(lines: list[_Line]) -> None:
    """A short kept line between removed boilerplate (or the end) is boilerplate too."""

    def is_boilerplate(i: int) -> bool:
        if i >= len(lines):
            return True
        if i < 0:
            return False
        return lines[i].reason not in (None, Reason.REPEATED, Reason.HEADLINE)

    i = 0
    while i < len(lines):
        if lines[i].reason is None and lines[i].words <= 12 and is_boilerplate(i - 1):
            j = i
            while j < len(lines) and lines[j].reason is None and lines[j].words <= 12:
                j += 1
            if is_boilerplate(j):
                for line in lines[i:j]:
                    line.reason = Reason.CONTEXT
            i = j
        else:
            i += 1


def _shared_short_lines(articles: Sequence[Article]) -> set[str]:
    counts: Counter[str] = Counter()
    for article in articles:
        norms = {
            _normalise(line) for line in _LINE.findall(article.text) if len(line.split()) <= 12
        }
        counts.update(n for n in norms if n)
    return {n for n, c in counts.items() if c >= 3}


def clean(article: Article, shared_lines: frozenset[str] | set[str] = frozenset()) -> CleanArticle:
    """Clean one article. ``shared_lines`` are short lines that many articles of the batch carry."""
    lines = _join_broken(_split_lines(article.text), article.text)
    title = _judge(lines, has_title=bool(article.title), shared_lines=set(shared_lines))
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    removed: list[Removed] = []
    pos = 0
    for line in lines:
        if line.reason is not None:
            removed.append(
                Removed(article.id, line.start, line.end, article.text[line.start : line.end],
                        line.reason)
            )
            continue
        if parts:
            pos += 2
        paragraphs.append(Paragraph(pos, pos + len(line.text), line.start, line.end))
        parts.append(line.text)
        pos += len(line.text)
    return CleanArticle(
        article=article,
        text="\n\n".join(parts),
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        title=article.title or title,
    )


def clean_all(articles: Sequence[Article]) -> list[CleanArticle]:
    """Clean every article of a batch, using what the batch shares to spot site templates."""
    shared = _shared_short_lines(articles) if len(articles) >= 3 else set()
    return [clean(a, shared) for a in articles]
