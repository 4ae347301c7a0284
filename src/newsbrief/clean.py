"""Clean: take boilerplate out of each article, and keep a record of every span taken out.

Junk is taken out first, wherever it stands: a paragraph that describes a web
archive's crawl (Multi-News took such pages for articles) goes whole, and every
``JUNK`` phrase (sign-up boxes and alert promos, video-player and gallery text,
reprint notices, Twitter embeds) is cut out as its own span, even from the middle
of a paragraph; what is left of the paragraph stays, in pieces.

A paragraph (a line of the input) is then judged in this order; the first rule
that fires gives the reason it is removed:

1. *data line*: mostly numbers and symbols (tables, tickers, logs), not prose;
2. *call-to-action or furniture*: a short paragraph matching one of the general
   patterns of news-site furniture (newsletter, player, reprint and social
   widgets, paywall, log-in, promo, read-more, share, comments, image credit,
   author bio, byline) in ``PATTERNS``;
3. *heading*: a line that is not a sentence (no closing punctuation) and is
   short or in title case (a long sentence-case line is prose and is kept);
   the first such line of reasonable length, before the body, is the headline;
4. *repeated paragraph*: the same paragraph already appeared in this article;
5. *repeated across articles*: a short line that three or more articles carry
   word for word (site templates, not news);
6. *inside boilerplate*: a short paragraph whose neighbours on both sides were
   removed (the jusText idea of context: boilerplate comes in blocks).

A heading between two paragraphs of prose, and a list that ends the article
(three or more items after the last paragraph), are the article's own structure:
kept (rule 3 is undone for them before rule 6). They never enter a summary, which
takes only whole sentences.

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

__all__ = ["JUNK", "PATTERNS", "Reason", "clean", "clean_all"]


class Reason:
    """The reasons a span is removed, as they appear in reports."""

    DATA = "data line (numbers or symbols, not prose)"
    HEADLINE = "headline (kept as the title)"
    HEADING = "heading, label or caption (not a sentence)"
    REPEATED = "paragraph repeated inside the article"
    REPEATED_ACROSS = "line repeated across articles (site template)"
    CAPITALS = "slogan or label in capitals"
    CONTEXT = "short line inside a block of boilerplate"
    NEWSLETTER = "newsletter or alert promo"
    PLAYER = "gallery or video player text"
    REPRINT = "reprint or copyright notice"
    ARCHIVE = "web archive notice (crawl text, not an article)"
    SOCIAL = "social-media widget or embed"


# A sentence ends in terminal punctuation, then closing marks and brackets, then
# whitespace; or in a closing double quote mark.
_TERMINAL_PUNCTUATION = (".", "!", "?", "…", "。", "！", "？")
_CLOSERS = "\"'”’)]」』"
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

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"

# Each entry: reason, pattern, longest paragraph (in words) it may apply to.
# Limits keep a long news paragraph that merely mentions "subscribers" safe.
PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    (Reason.NEWSLETTER, re.compile(
        r"\b(sign(ing)? ?up|subscrib\w*|inbox|deliver\w*|e-?mail|click here)\b"
        r".*\bnewsletters?\b"
        r"|\bnewsletters?\b.*\b(sign ?up|subscrib\w*|inbox|deliver\w*|here)\b"
        r"|^[\w .'’&-]{0,40} newsletters?$|breaking news (e-?mails?|alerts)"
        r"|delivered (straight |right )?to your inbox|\bget (breaking )?news alerts\b",
        re.I), 40),
    (Reason.PLAYER, re.compile(
        r"^(replay|video player|now playing|play video|more videos|autoplay|up next"
        r"|watch( now| video)?|(click|tap) to (play|watch|expand)|pause|mute)\W*$"
        r"|\bhide caption\b|^(\d+ )?of \d+ (photos|images|pictures|slides)\b"
        r"|^(photos|gallery|slideshow|video)( \(\d+\))?:?$|^(view|see|launch|open) (the )?"
        r"(gallery|slideshow)\b|media playback is unsupported|\bjust watched\b.*\breplay\b",
        re.I), 40),
    (Reason.REPRINT, re.compile(
        r"may not be (re)?published, broadcast|all rights reserved|^(copyright|©)\s*\d{4}\b"
        r"|\breprints?: this copy is for your personal",
        re.I), 40),
    (Reason.SOCIAL, re.compile(
        r"pic\.twitter\.com/|\(\s*@\w{1,15}\s*\)\s*" + _MONTH + r"\.?\s+\d{1,2},\s*\d{4}\s*$"
        r"|^see more of .{1,60} on facebook|tweet with a location|copying the code below"
        r"|location information to your tweets|delete your (tweet )?location history"
        r"|^(like|follow) us on (facebook|twitter|instagram)|^embed\b"
        r"|twitter developer agreement",
        re.I), 80),
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
            r"( (stories|articles|coverage|content|posts?))?(:|$)|^(click|tap) here"
            r"|download (our|the) app|follow us on|try \d+ days? free"
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
            # no bracket inside the credit: each "(" starts at most one short scan, so a long
            # line of "(ap(ap(ap..." costs linear time, not quadratic (issue 13: 50 s for 100 KB)
            r"|(\(|\[)(ap|afp|reuters|getty( images)?|epa|shutterstock)( photo)?"
            r"[^()[\]]*(\)|\])\s*$"
            r"|(/|\|) ?(ap|afp|reuters|getty images|epa)( photo)?\s*$|^image copyright\b"
            r"|\b(reuters|ap photo|afp|getty images|epa|photo)/ ?[A-Z][\w.' -]{2,40}$"
            # "(Source: Jdarsie11 / Wikimedia Commons)": a picture's source line
            r"|^\(?source: [^()/]{1,60}/ ?(wikimedia( commons)?|flickr|getty images|ap|afp"
            r"|reuters|shutterstock)\)?$",
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


JUNK: list[tuple[str, re.Pattern[str]]] = [
    (Reason.NEWSLETTER, re.compile(
        r"breaking news e-?mails? get breaking news alerts and special reports\.?"
        r"(\s*the news and stories that matter,? delivered weekday mornings\.?)?"
        r"|get daily updates directly to your inbox\s*\+?\s*subscribe"
        r"(\s*thank you for subscribing!?)?"
        r"(\s*we have more newsletters show me see our privacy notice)?"
        r"(\s*could not subscribe, try again later)?(\s*invalid email)?"
        r"|want more stories like this\?\s*sign up for our newsletter and other special offers:?"
        r"(\s*sign me up)?(\s*thank you for signing up!?)?"
        r"|join us on facebook like us and you\s*'\s*ll find top breaking news in your facebook"
        r" newsfeed\.?"
        r"|\b(sign up|subscribe) (for|to) (the|our) [\w .'’-]{0,40}?newsletters?\b"
        r"[^.!?\n]{0,80}[.!?]?",
        re.I)),
    (Reason.PLAYER, re.compile(
        r"\bjust watched (?P<title>.{1,200}?) replay more videos\s*(\.{3}|…)?\s*must watch"
        r" (?P=title)(\s*\d{1,2}:\s?\d\d)?"
        r"|\bhide caption(\s*\d+ of \d+ (photos|images)\b:?)?"
        r"|media playback is unsupported on your device( media caption)?"
        r"|rating is available when the video has been rented\.?"
        r"|this feature is not available right now\.? please try again later\.?"
        r"|the interactive transcript could not be loaded\.?"
        r"|watch queue queue( watch queue queue)?( remove all)?( disconnect)?"
        r"|\bnow playing\s*:(\s*now playing\b)?|\bplay facebook twitter embed\b"
        r"|\bskip in skip x embed x share\b|\bembed more news videos\b"
        r"|\bthe video will start in \d+ cancel\b",
        re.I)),
    (Reason.REPRINT, re.compile(
        r"(copyright|©)\s*(\d{4}\s*)?(by\s*)?[\w .,&'-]{0,60}?[\s.–-]*all rights reserved\.?"
        r"|this material may not be (re)?published, broadcast, rewritten,? or redistributed\.?"
        r"|dow jones reprints: this copy is for your personal, non-commercial use only\..{0,300}?"
        r"www\.djreprints\.com",
        re.I)),
    ("story highlights box", re.compile(r"^story highlights\b.{1,1500}?(?=\(\s*cnn\s*\))", re.I)),
    (Reason.SOCIAL, re.compile(
        r"tweet with a location you can add location information to your tweets.{0,250}?"
        r"delete your tweet location history\.?(\s*learn more)?"
        r"|add a location to your tweets.{0,250}?delete your location history\.?(\s*learn more)?"
        r"|add this (tweet|video) to your website by copying the code below\.?(\s*learn more)?"
        r"|by embedding twitter content in your website or app, you are agreeing to the twitter"
        r" developer agreement and developer policy\.?"
        r"|this will appear next to all of your comments( this will not appear anywhere on \w+)?"
        r"|\bsee more of [\w .'&-]{1,60} on facebook"
        r"|pic\.twitter\.com/\w+"
        r"|(—|–|-{1,2})\s*[^()\n—–]{1,60}?\(\s*@\w{1,15}\s*\)\s*" + _MONTH
        + r"\.?\s+\d{1,2},\s*\d{4}",
        re.I)),
]
"""Junk cut out wherever it stands, even mid-paragraph (Multi-News runs a sign-up box into
the first sentence): fixed phrases of widgets found in Multi-News' train5622 clusters,
never topic words, so a sentence about a newsletter or a video player is not touched."""

_JUNK_HINTS = (
    "breaking news", "inbox", "newsletter", "join us on facebook", "just watched", "caption",
    "media playback", "rating is available", "not available right now", "transcript",
    "watch queue", "now playing", "embed", "video will start", "rights reserved", "may not be",
    "djreprints", "story highlights", "location", "copying the code", "twitter", "comments",
    "facebook", "@")
"""Words one of the ``JUNK`` phrases holds, lower case."""
_ARCHIVE_HINTS = ("crawl", "wayback", "archive", "warc", "heritrix", "seed", "embargo")
"""Words every ``_ARCHIVE_MARKER`` holds, lower case."""
_HINT = re.compile("|".join(map(re.escape, _JUNK_HINTS + _ARCHIVE_HINTS)))
"""Any hint, searched in a lower-cased line: a line with none is neither searched for junk
nor counted for archive marks (the case-blind regexes cost 2 s on the 10,000 log lines of
Multi-News 4403, this one search 0.07 s)."""

_ARCHIVE_MARKER = re.compile(
    r"\b(web ?)?crawl(s|ed|er|ing)?\b|wayback machine|archive-it|\bwarc\b|heritrix"
    r"|\bseed ?list\b|\bembargo period\b|\binternet archive\b", re.I)
ARCHIVE_MARKERS = 2
"""Marks of web-archive notices a paragraph must carry to be one (at least one of them not
"Internet Archive"): in train5622 every paragraph with two such marks (714) is the Internet
Archive's or Archive-It's description of a crawl, which Multi-News took for the article;
one mark alone is a news story mentioning the archive."""
ARCHIVE_LONGEST = 400
"""Words: the longest crawl description in train5622 has 312."""


def _archive_marks(text: str) -> int:
    """Marks of a web-archive notice in ``text``; 0 when "Internet Archive" is the only kind."""
    hits = [m.group().casefold() for m in _ARCHIVE_MARKER.finditer(text)]
    return len(hits) if any(h != "internet archive" for h in hits) else 0


def _mark_archive_notices(lines: list[_Line], hinted: list[bool]) -> None:
    """A paragraph with ``ARCHIVE_MARKERS`` marks is an archive notice, and so is one with a
    single mark next to a notice (the notice's text split into several lines)."""
    marks = [_archive_marks(line.text) if hint and line.words <= ARCHIVE_LONGEST else 0
             for line, hint in zip(lines, hinted, strict=True)]
    for line, n in zip(lines, marks, strict=True):
        if n >= ARCHIVE_MARKERS:
            line.reason = Reason.ARCHIVE
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if line.reason is None and marks[i] and any(
                0 <= j < len(lines) and lines[j].reason == Reason.ARCHIVE for j in (i - 1, i + 1)
            ):
                line.reason = Reason.ARCHIVE
                changed = True


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
            and prev.reason is None  # never across junk cut out before
            and line.reason is None
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


_PIECE_EDGE = " \t/|·•–—-:;,"
"""What may be left at the edge of a piece once junk is cut out of a line: separators."""


def _cut_junk(lines: list[_Line]) -> list[_Line]:
    """Take junk out of each line: a web-archive notice as a whole line, every ``JUNK``
    phrase as its own removed span; what is left of a line stays, in pieces."""
    hinted = [_HINT.search(line.text.lower()) is not None for line in lines]
    _mark_archive_notices(lines, hinted)
    out: list[_Line] = []
    for line, hint in zip(lines, hinted, strict=True):
        if line.reason is not None or not hint:
            out.append(line)
            continue
        cuts = sorted(
            (m.start(), m.end(), reason)
            for reason, pattern in JUNK for m in pattern.finditer(line.text) if m.end() > m.start()
        )
        if not cuts:
            out.append(line)
            continue
        pos = 0
        for start, end, reason in cuts:
            if start < pos:  # overlaps a cut already made
                start = pos
                if start >= end:
                    continue
            out.extend(_piece(line, pos, start))
            out.append(_Line(line.start + start, line.start + end, line.text[start:end], reason))
            pos = end
        out.extend(_piece(line, pos, len(line.text)))
    return out


def _piece(line: _Line, start: int, end: int) -> list[_Line]:
    """What is left of ``line`` between two cuts, separators trimmed; none if no word."""
    text = line.text[start:end]
    left = len(text) - len(text.lstrip(_PIECE_EDGE))
    text = text.strip(_PIECE_EDGE)
    if not LETTER_WORD.search(text):
        return []
    begin = line.start + start + left
    return [_Line(begin, begin + len(text), text)]


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
        if line.reason is not None:  # junk, cut before
            continue
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
    _keep_structure(lines)
    _smooth(lines)
    return title


_STRUCTURE = frozenset({Reason.HEADING, Reason.CAPITALS})
"""Reasons of lines that are the article's structure when they stand inside its body."""
_LIST_LINE = _STRUCTURE | {Reason.DATA}
"""What a list item looks like to the line rules: a heading, or a data line (dates, prices)."""
_LIST_ITEM = re.compile(
    r"\s*(\d{1,3}[.):]\s|\(?[a-z0-9]{1,2}\)\s|[-*•–—]\s|" + _MONTH + r"\.? \d{1,2}\b)", re.I
)
"""The start of a list item: a number, a letter in brackets, a bullet, or a date."""
LIST_LEAST = 3
"""Items a run of lines after the body needs to be kept as a list (two may be links)."""
LIST_MOST = 100
"""More items than this are a data dump (a log, a table export), not a list to keep; the
longest list in the article-extraction pages (tour dates) has 40."""


def _keep_structure(lines: list[_Line]) -> None:
    """Undo the heading rule for the article's own structure: a heading or label between
    two paragraphs of prose (a sub-heading, a list item), and a list that ends the article
    (tour dates, numbered items) with the line that introduces it. Headings before the
    body (headline, section labels) and other runs after it (related stories) stay
    removed. Kept structure never enters a summary, which takes only whole sentences."""
    prose = [i for i, line in enumerate(lines)
             if line.reason is None and line.words >= 12 and _is_sentence(line.text)]
    if len(prose) < 2:
        return
    for line in lines[prose[0] + 1 : prose[-1]]:
        if line.reason in _STRUCTURE and LETTER_WORD.search(line.text):
            line.reason = None
    tail = lines[prose[-1] + 1 :]
    i = 0
    while i < len(tail):
        j = i
        while (j < len(tail) and tail[j].reason in _LIST_LINE
               and _LIST_ITEM.match(tail[j].text)):
            j += 1
        if LIST_LEAST <= j - i <= LIST_MOST:
            intro = tail[i - 1] if i else None
            if intro and intro.reason in _STRUCTURE and not _LIST_ITEM.match(intro.text):
                intro.reason = None
            for line in tail[i:j]:
                line.reason = None
        i = max(j, i + 1)


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
    # junk first, on the lines as given, so that every cut's offsets are exact
    lines = _join_broken(_cut_junk(_split_lines(article.text)), article.text)
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
