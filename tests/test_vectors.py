"""newsbrief.vectors against scikit-learn, bit for bit; the stop-word copy against its source.

Every configuration the brief uses is fitted and applied to random texts and to real ones
(the seed articles and every dev100 story, where the shared folder is there), and each
matrix must equal scikit-learn's in type, shape, dtype and the bytes of ``data``,
``indices`` and ``indptr``: the order of a row's entries decides the rounding of every
sparse product downstream, so equal values in another order would not do.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction import text as sk_text
from sklearn.preprocessing import normalize as sk_normalize

from newsbrief import vectors
from newsbrief.text import stemmed_terms, stop_words

STORY = Path(__file__).resolve().parent / "fixtures" / "story"

TFIDF_SETTINGS: dict[str, dict[str, Any]] = {
    "summary stems": {"sublinear_tf": True, "analyzer": stemmed_terms},
    "english words": {"sublinear_tf": True, "stop_words": "english"},
    "quote characters": {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True},
}
"""summarize.py, additions.py / timeline.py and quotes/grouping.py, in that order."""

COUNT_SETTINGS: dict[str, dict[str, Any]] = {
    f"ngrams {ngram}": {"stop_words": "english", "ngram_range": ngram, "binary": binary}
    for ngram in [(1, 1), (2, 2), (1, 3)]
    for binary in [True, False]
}
"""summarize.py's spread features use (1, 1) and (2, 2), binary; the rest widen the check."""


def assert_same(ours: Any, theirs: Any) -> None:
    """Same type, shape, dtype and bytes of every array: bit for bit."""
    assert type(ours) is type(theirs)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    for field in ("data", "indices", "indptr"):
        a, b = getattr(ours, field), getattr(theirs, field)
        assert a.dtype == b.dtype, field
        assert a.shape == b.shape, field
        assert a.tobytes() == b.tobytes(), field
    # no stale cached "sorted" flag where scikit-learn has none
    assert set(vars(ours)) == set(vars(theirs))


def check_tfidf(settings: dict[str, Any], fit: Sequence[str], apply: Sequence[str]) -> None:
    ours, theirs = vectors.TfidfVectorizer(**settings), sk_text.TfidfVectorizer(**settings)
    try:
        expected = theirs.fit_transform(fit)
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            ours.fit_transform(fit)
        return
    fitted = ours.fit_transform(fit)
    assert_same(fitted, expected)
    assert ours.vocabulary_ == theirs.vocabulary_
    assert ours.idf_ is not None
    assert ours.idf_.tobytes() == theirs.idf_.tobytes()
    # the callers normalise again: a second pass must round as scikit-learn's does
    assert_same(vectors.l2_normalize(fitted), sk_normalize(expected))
    try:
        expected = theirs.transform(apply)
    except ValueError as error:  # no documents: scikit-learn's input check refuses them
        with pytest.raises(ValueError, match=re.escape(str(error))):
            ours.transform(apply)
        return
    applied = ours.transform(apply)
    assert_same(applied, expected)
    assert_same(vectors.l2_normalize(applied), sk_normalize(theirs.transform(apply)))


def check_counts(settings: dict[str, Any], fit: Sequence[str], apply: Sequence[str]) -> None:
    ours, theirs = vectors.CountVectorizer(**settings), sk_text.CountVectorizer(**settings)
    try:
        expected = theirs.fit_transform(fit)
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            ours.fit_transform(fit)
        return
    assert_same(ours.fit_transform(fit), expected)
    assert ours.vocabulary_ == theirs.vocabulary_
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert_same(ours.transform(apply), theirs.transform(apply))


def check_all(fit: Sequence[str], apply: Sequence[str]) -> None:
    for settings in TFIDF_SETTINGS.values():
        check_tfidf(settings, fit, apply)
    for settings in COUNT_SETTINGS.values():
        check_counts(settings, fit, apply)


# -- random texts ----------------------------------------------------------------------

_ALPHABET = (
    ["the", "a", "of", "i", "and", "it's", "x", "NATO", "U.S.", "Zoë", "naïve", "café", "straße",
     "İstanbul", "ΣΊΣΥΦΟΣ", "東京", "42", "3.14", "1,000", "_", "__init__", "co-op", "don't",
     "runs", "running", "ran", "runner", "said", "say", "says", "fire", "fired", "firing"]
    + sorted(stop_words())[:40]
    + [chr(c) * 2 for c in range(ord("a"), ord("z") + 1)]
)
_SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", " \n \n ", "\u00a0", "\u2009", ", ", ". ", " — ",
               "\x1c", "!", "?"]


def random_text(rng: random.Random) -> str:
    """A text of up to ~120 words from a small alphabet, so terms repeat across texts."""
    n = rng.choice([0, 1, 2, 3, 5, 8, 13, 30, 60, 120])
    out: list[str] = []
    for _ in range(n):
        word = rng.choice(_ALPHABET)
        if rng.random() < 0.2:
            word = word.upper() if rng.random() < 0.5 else word.title()
        out.append(word)
        out.append(rng.choice(_SEPARATORS))
    return "".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_random_texts_match_scikit_learn(seed: int) -> None:
    rng = random.Random(seed)
    texts = [random_text(rng) for _ in range(rng.choice([1, 2, 5, 20, 60]))]
    more = [random_text(rng) for _ in range(rng.choice([0, 1, 7, 30]))]
    check_all(texts, more + texts[::2])


# -- real texts ------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences_of(documents: Sequence[str]) -> list[str]:
    """Rough sentences (a split after end punctuation): enough to vary rows as the stages do."""
    return [s for doc in documents for s in _SENTENCE_END.split(doc) if s.strip()]


def check_story(documents: Sequence[str]) -> None:
    """Fit on the longer sentences, apply to all (as the summary and additions do); fit
    the character n-grams on short pieces, as quotes are."""
    every = sentences_of(documents)
    fit = [s for s in every if len(s.split()) >= 8] or every
    check_all(fit, every)
    quotes = [s[:160] for s in every[::3]]
    check_tfidf(TFIDF_SETTINGS["quote characters"], quotes, quotes)


def test_fixture_story_matches_scikit_learn() -> None:
    check_story([p.read_text() for p in sorted(STORY.glob("*.txt"))])


def test_seed_articles_match_scikit_learn(seeds_dir: Path) -> None:
    check_story([p.read_text(errors="replace") for p in sorted(seeds_dir.glob("*.txt"))])


def _dev100(data_dir: Path) -> list[list[str]]:
    path = data_dir / "multinews" / "dev100.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    stories = []
    for line in path.read_text().splitlines():
        if line.strip():
            stories.append([d for d in json.loads(line)["document"].split("|||||") if d.strip()])
    return stories


@pytest.mark.slow
def test_every_dev100_story_matches_scikit_learn(data_dir: Path) -> None:
    for documents in _dev100(data_dir):
        check_story(documents)


def test_some_dev100_stories_match_scikit_learn(data_dir: Path) -> None:
    """Every tenth story but the ones of over 100,000 characters (one has ~1M: slow test)."""
    for documents in _dev100(data_dir)[::10]:
        if sum(map(len, documents)) <= 100_000:
            check_story(documents)


# -- edge cases ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "texts",
    [[], [""], ["", "  \n "], ["the a of and"], ["I", "x y z"], ["the", "", "was"], ["!!! ???"]],
    ids=["none", "empty", "blank", "stop words", "one letter", "mixed", "punctuation"],
)
def test_no_terms_raise_as_scikit_learn(texts: list[str]) -> None:
    check_all(texts, ["the cat"])


def test_empty_vocabulary_message_is_scikit_learns() -> None:
    with pytest.raises(ValueError, match="empty vocabulary"):
        vectors.TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(["the"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        vectors.CountVectorizer(stop_words="english", ngram_range=(2, 2)).fit_transform(["a b"])


def test_a_string_is_not_a_list_of_documents() -> None:
    with pytest.raises(ValueError, match="string object received"):
        vectors.TfidfVectorizer().fit_transform("just one text")


def test_transform_before_fit_raises() -> None:
    with pytest.raises(ValueError, match="not fitted"):
        vectors.TfidfVectorizer().transform(["text"])


def test_transform_of_nothing_or_unknown_words() -> None:
    check_all(["cats and dogs", "dogs bark"], [])
    check_all(["cats and dogs", "dogs bark"], ["zebras", "", "the"])


def test_short_words_and_char_ngram_bounds() -> None:
    """Words shorter than the n-gram size count once (scikit-learn's early stop)."""
    texts = ["a", "ab", "abc", "abcd", "a b c", "I am an ox", "x\u00a0\u00a0y", "  lead  trail  "]
    for ngram in [(1, 1), (2, 2), (3, 5), (1, 6), (4, 4)]:
        settings = {"analyzer": "char_wb", "ngram_range": ngram, "sublinear_tf": True}
        check_tfidf(settings, texts, texts[::-1])


def test_repeated_terms_use_sublinear_tf() -> None:
    texts = ["spam " * 50 + "eggs", "eggs eggs ham", "ham"]
    check_all(texts, texts)
    check_tfidf({"sublinear_tf": False}, texts, texts)


# -- l2 normalisation ------------------------------------------------------------------

def _sequential_norm(row: np.ndarray) -> float:
    total = 0.0
    for value in row:
        total += float(value) * float(value)
    return total


def test_l2_normalize_adds_squares_in_order_as_scikit_learn() -> None:
    """Long rows of uneven values: numpy's pairwise sum rounds differently from
    scikit-learn's loop on some of them, and ``l2_normalize`` must follow the loop."""
    rng = np.random.default_rng(0)
    rows, cols = 300, 2000
    density = rng.choice([0.001, 0.005, 0.02, 0.05, 0.3, 0.9], size=(rows, 1))
    dense = rng.random((rows, cols)) * (rng.random((rows, cols)) < density)
    dense *= 10.0 ** rng.integers(-3, 4, size=(rows, 1))
    dense[5] = 0.0  # an empty row stays empty
    matrix = sp.csr_matrix(dense)
    # shuffle each row's entries: the order is part of the result
    for i in range(rows):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        order = rng.permutation(end - start) + start
        matrix.indices[start:end] = matrix.indices[order]
        matrix.data[start:end] = matrix.data[order]
    matrix = sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=matrix.shape)
    assert_same(vectors.l2_normalize(matrix), sk_normalize(matrix))
    by_numpy = [float(np.sum(matrix.data[a:b] ** 2)) for a, b in pairwise(matrix.indptr)]
    loop = [_sequential_norm(matrix.data[a:b]) for a, b in pairwise(matrix.indptr)]
    assert by_numpy != loop, "the check has no teeth: no row where the two sums differ"
    lengths = np.diff(matrix.indptr)
    assert lengths.min() <= vectors.SHORT_ROW < lengths.max(), "both ways of summing are used"


def test_l2_normalize_leaves_the_input_alone() -> None:
    matrix = sp.csr_matrix(np.array([[3.0, 4.0], [0.0, 0.0]]))
    before = matrix.data.copy()
    out = vectors.l2_normalize(matrix)
    assert matrix.data.tobytes() == before.tobytes()
    assert out.toarray().tolist() == [[0.6, 0.8], [0.0, 0.0]]


# -- the stop-word copy and import cost -------------------------------------------------

def test_stop_words_are_scikit_learns() -> None:
    assert stop_words() == sk_text.ENGLISH_STOP_WORDS
    assert len(stop_words()) == 318


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    return set(out.stdout.split())


def test_importing_vectors_loads_neither_numpy_nor_scikit_learn() -> None:
    loaded = _modules_after("import newsbrief.vectors")
    assert "numpy" not in loaded
    assert "sklearn" not in loaded


@pytest.mark.slow
def test_a_brief_loads_no_scikit_learn() -> None:
    loaded = _modules_after(
        f"from newsbrief.pipeline import brief_paths\nbrief_paths([{str(STORY)!r}])"
    )
    assert "newsbrief.summarize" in loaded
    assert not {m for m in loaded if m == "sklearn" or m.startswith("sklearn.")}
