"""Cleaning's line tests are fast paths of simple definitions: they must agree with them.

Each reference below is the plain definition the fast path replaced (a regex match per
token, a casefold per word, a regex anchored at the end). A log of ten thousand lines
(Multi-News 4403) made the plain versions a quarter of a warm brief.
"""

from __future__ import annotations

import random
import re

import pytest

from newsbrief.clean import _is_data, _is_sentence, _normalise, _split_lines
from newsbrief.text import LETTER_WORD

_TERMINAL = re.compile(r"[.!?…。！？][\"'”’)\]」』]*\s*$|[\"”]\s*$")


def reference_is_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def reference_is_data(text: str) -> bool:
    tokens = text.split()
    if len(tokens) < 4:
        return False
    wordy = sum(1 for t in tokens if LETTER_WORD.fullmatch(t.strip(",.;:!?\"'()“”‘’")))
    if wordy / len(tokens) < 0.5:
        return True
    numeric = sum(1 for t in tokens if any(ch.isdigit() for ch in t))
    return numeric / len(tokens) >= 0.3 and not reference_is_sentence(text)


def reference_normalise(text: str) -> str:
    return " ".join(w.casefold() for w in re.findall(r"\w+", text))


def reference_split_lines(text: str) -> list[tuple[int, int, str]]:
    lines = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group(0)
        stripped = raw.strip()
        if stripped:
            start = m.start() + len(raw) - len(raw.lstrip())
            lines.append((start, start + len(stripped), stripped))
    return lines


LINES = [
    "29-9-2013 3:38 - UID: 807884 Type: buy Currency: USD BTC: 21.3000925 Fiat: 3067.78",
    "The index rose 2.5% to 1,234 points on Monday, its 3rd gain in 4 days.",
    "AAPL 172.50 +1.2 MSFT 310.10 -0.4",
    "Scores: ² ³ ٣ ① 4 5 6 7",  # digits outside 0-9 take the token-by-token path
    "İstanbul İzmir Ankara ﬁnal ßtraße",
    "“We will not back down,” he said. ",
    "He said: “No.”\u00a0",
    "Results (final)\u2003",
    "O'Neill, U.S. and well-known (“quoted”) words here",
    "a b c d",
    "",
    "   ",
]


@pytest.mark.parametrize("text", LINES)
def test_line_tests_agree_with_their_definitions(text: str) -> None:
    assert _is_data(text) == reference_is_data(text)
    assert _is_sentence(text) == reference_is_sentence(text)
    assert _normalise(text) == reference_normalise(text)


def test_random_lines_agree_with_the_definitions() -> None:
    rng = random.Random(7)
    pieces = [*"ab Z9 ,.;:!?\"'()“”‘’-_İßé²①٣\u00a0\u2003\x1c\t…]", "Ab", "12", "x.y", "O'Neill"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert _is_data(text) == reference_is_data(text), text
        assert _is_sentence(text) == reference_is_sentence(text), text
        assert _normalise(text) == reference_normalise(text), text


def test_lines_and_their_offsets_agree_with_the_definition() -> None:
    rng = random.Random(11)
    pieces = [*"ab \n\n\r\t\u00a0\x1c\u2028", "word"]
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        got = [(line.start, line.end, line.text) for line in _split_lines(text)]
        assert got == reference_split_lines(text), repr(text)
