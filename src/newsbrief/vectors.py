"""TF-IDF and term-count matrices, and L2 row normalisation: scikit-learn's, bit for bit.

Written by hand because importing scikit-learn costs ~0.7 s of every cold start (mostly
``scipy.stats``, pulled in by ``sklearn.utils``), for a brief that needs four of its
classes' settings. ``TfidfVectorizer``, ``CountVectorizer`` and ``l2_normalize`` here
behave as scikit-learn 1.9's ``TfidfVectorizer``, ``CountVectorizer`` and
``sklearn.preprocessing.normalize`` for the settings the brief uses, down to the float
bits and the order of each row's entries (which decides the rounding of every sparse
product downstream): tests/test_vectors.py checks them against scikit-learn on random
and real texts.

What scikit-learn does, and this module repeats:

* *Terms*: the word analyzer lower-cases, finds ``text.TERM`` tokens, drops stop words,
  then joins word n-grams with spaces; ``char_wb`` pads each whitespace-separated word
  with one space on each side and takes its character n-grams, stopping after the first
  size a short word cannot fill; a callable analyzer is used as it is.
* *Columns*: numbered by first appearance while counting, each row sorted by that number,
  then renumbered in sorted term order (so a fitted row keeps its first-appearance
  order); ``transform`` rows are sorted by column.
* *Weights*: sublinear tf ``1 + ln(tf)``, smooth idf ``ln((n + 1) / (df + 1)) + 1``, then
  every row divided by its L2 norm, its squares summed one after the other.

numpy and scipy load on first use, so importing this module costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from newsbrief.text import TERM
from newsbrief.text import stop_words as english_stop_words

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

__all__ = ["CountVectorizer", "TfidfVectorizer", "l2_normalize"]

_WHITE_SPACES = re.compile(r"\s\s+")
"""scikit-learn squeezes runs of white space before character n-grams."""

EMPTY_VOCABULARY = "empty vocabulary; perhaps the documents only contain stop words"
"""scikit-learn's message (a ``ValueError``) when no document yields a term; callers catch it."""

Analyzer = Callable[[str], Iterable[str]]


def _word_analyzer(
    ngram_range: tuple[int, int], stop: frozenset[str] | None
) -> Analyzer:
    min_n, max_n = ngram_range

    def analyze(doc: str) -> list[str]:
        tokens = TERM.findall(doc.lower())
        if stop is not None:
            tokens = [w for w in tokens if w not in stop]
        if max_n == 1:
            return tokens
        grams = list(tokens) if min_n == 1 else []
        first = max(min_n, 2)
        for n in range(first, min(max_n + 1, len(tokens) + 1)):
            for i in range(len(tokens) - n + 1):
                grams.append(" ".join(tokens[i : i + n]))
        return grams

    return analyze


def _char_wb_analyzer(ngram_range: tuple[int, int]) -> Analyzer:
    min_n, max_n = ngram_range

    def analyze(doc: str) -> list[str]:
        grams: list[str] = []
        append = grams.append
        for word in _WHITE_SPACES.sub(" ", doc.lower()).split():
            w = " " + word + " "
            size = len(w)
            for n in range(min_n, max_n + 1):
                offset = 0
                append(w[offset : offset + n])
                while offset + n < size:
                    offset += 1
                    append(w[offset : offset + n])
                if offset == 0:  # a word shorter than n counts once, as scikit-learn does
                    break
        return grams

    return analyze


def _check_documents(docs: Sequence[str]) -> None:
    if isinstance(docs, str):
        raise ValueError("Iterable over raw text documents expected, string object received.")


def _count(
    docs: Iterable[str], analyze: Analyzer, vocabulary: dict[str, int] | None, dtype: type
) -> tuple[dict[str, int], sp.csr_matrix]:
    """Term counts, one row per document; learns the vocabulary when none is given.

    Columns are numbered by first appearance (a given vocabulary is used as it is) and each
    row is sorted by column, as scikit-learn's ``CountVectorizer._count_vocab``.
    """
    import numpy as np
    import scipy.sparse as sp

    fixed = vocabulary is not None
    vocab: dict[str, int] = vocabulary if vocabulary is not None else {}
    indices: list[int] = []
    values: list[int] = []
    indptr = [0]
    for doc in docs:
        counts: dict[int, int] = {}
        if fixed:
            for term in analyze(doc):
                column = vocab.get(term)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
        else:
            for term in analyze(doc):
                column = vocab.setdefault(term, len(vocab))
                counts[column] = counts.get(column, 0) + 1
        indices.extend(counts)
        values.extend(counts.values())
        indptr.append(len(indices))
    if not fixed and not vocab:
        raise ValueError(EMPTY_VOCABULARY)
    matrix = sp.csr_matrix(
        (
            np.asarray(values, dtype=np.intc).astype(dtype),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int32),
        ),
        shape=(len(indptr) - 1, len(vocab)),
    )
    matrix.sort_indices()
    # a new matrix without the cached "sorted" flag, as scikit-learn hands it on
    return vocab, sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=matrix.shape)


def _sorted_columns(matrix: sp.csr_matrix, vocabulary: dict[str, int]) -> sp.csr_matrix:
    """Renumber columns in sorted term order (``vocabulary`` is changed in place).

    Each row keeps its entries where they are, so a fitted row stays in first-appearance
    order, as scikit-learn's ``_sort_features`` leaves it. The result is a new matrix, with
    no stale "indices are sorted" flag.
    """
    import numpy as np
    import scipy.sparse as sp

    new_of_old = np.empty(len(vocabulary), dtype=matrix.indices.dtype)
    for new, (term, old) in enumerate(sorted(vocabulary.items())):
        vocabulary[term] = new
        new_of_old[old] = new
    return sp.csr_matrix(
        (matrix.data, new_of_old.take(matrix.indices, mode="clip"), matrix.indptr),
        shape=matrix.shape,
    )


SHORT_ROW = 64
"""Rows up to this many entries are summed together, one entry position at a time (so at
most this many numpy steps); longer ones one by one. A cost trade-off only: both ways add
left to right."""


def _sequential_row_sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Sum of each row's values, added left to right as scikit-learn's Cython loop does.

    numpy's ``sum`` adds in pairs and can differ in the last bit; ``add.accumulate`` and
    ``+=`` of whole columns add in order.
    """
    import numpy as np

    counts = np.diff(indptr)
    sums = np.zeros(len(counts), dtype=values.dtype)
    for row in np.flatnonzero(counts > SHORT_ROW):
        sums[row] = np.add.accumulate(values[indptr[row] : indptr[row + 1]])[-1]
    short = np.flatnonzero((counts > 0) & (counts <= SHORT_ROW))
    if not len(short):
        return sums
    # short rows longest first: the rows that reach entry position p are a prefix
    short = short[np.argsort(-counts[short], kind="stable")]
    lengths = counts[short]
    starts = indptr[:-1][short]
    partial = np.zeros(len(short), dtype=values.dtype)
    negated = -lengths  # ascending, for searchsorted
    for position in range(int(lengths[0])):
        reach = int(np.searchsorted(negated, -position, side="left"))  # rows longer than p
        partial[:reach] += values[starts[:reach] + position]
    sums[short] = partial
    return sums


def l2_normalize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """A copy of ``matrix`` with every non-empty row divided by its Euclidean norm.

    Bit for bit ``sklearn.preprocessing.normalize(matrix)`` on a CSR matrix: each row's
    squares are summed in entry order, and a row whose sum is zero is left as it is.
    """
    _check_rows(matrix.shape, "the normalize function")
    out: sp.csr_matrix = matrix.tocsr(copy=True)
    _l2_normalize_in_place(out)
    return out


def _check_rows(shape: tuple[int, int], by: str) -> None:
    if shape[0] == 0:  # scikit-learn's input check refuses a matrix without rows
        raise ValueError(
            f"Found array with 0 sample(s) (shape={shape}) while a minimum of 1 is required"
            f" by {by}."
        )


def _l2_normalize_in_place(matrix: sp.csr_matrix) -> None:
    import numpy as np

    data = matrix.data
    norms = _sequential_row_sums(data * data, matrix.indptr)
    zero = norms == 0.0
    np.sqrt(norms, out=norms)
    norms[zero] = 1.0  # x / 1.0 is x: scikit-learn skips such rows
    data /= np.repeat(norms, np.diff(matrix.indptr))


class CountVectorizer:
    """scikit-learn's ``CountVectorizer`` for word n-grams (lower-cased ``TERM`` tokens).

    Only what the brief uses: ``stop_words`` None or ``"english"``, ``ngram_range``,
    ``binary``; ``fit_transform``, ``transform`` and ``vocabulary_``. Counts are int64.
    """

    def __init__(
        self,
        *,
        stop_words: Literal["english"] | None = None,
        ngram_range: tuple[int, int] = (1, 1),
        binary: bool = False,
    ) -> None:
        self.stop_words = stop_words
        self.ngram_range = ngram_range
        self.binary = binary
        self.vocabulary_: dict[str, int] = {}
        self._fitted = False

    def _analyzer(self) -> Analyzer:
        stop = english_stop_words() if self.stop_words == "english" else None
        return _word_analyzer(self.ngram_range, stop)

    def _counts(self, docs: Sequence[str], fit: bool, dtype: type) -> sp.csr_matrix:
        _check_documents(docs)
        if fit:
            vocabulary, matrix = _count(docs, self._analyzer(), None, dtype)
            matrix = _sorted_columns(matrix, vocabulary)
            self.vocabulary_ = vocabulary
            self._fitted = True
        else:
            if not self._fitted:
                raise ValueError("the vectorizer is not fitted: call fit_transform first")
            _, matrix = _count(docs, self._analyzer(), self.vocabulary_, dtype)
        if self.binary:
            matrix.data.fill(1)
        return matrix

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Learn the vocabulary of ``docs``; their term counts, one row each.

        Raises ``ValueError`` (as scikit-learn) when no document has a term.
        """
        import numpy as np

        return self._counts(docs, True, np.int64)

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Counts of the learnt terms in ``docs``, one row each (unknown terms are dropped)."""
        import numpy as np

        return self._counts(docs, False, np.int64)

    def get_feature_names_out(self) -> list[str]:
        """The terms, in column order."""
        return sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)


class TfidfVectorizer(CountVectorizer):
    """scikit-learn's ``TfidfVectorizer`` (smooth idf, L2 rows) for the brief's settings.

    ``analyzer`` is ``"word"`` (with ``stop_words`` and ``ngram_range``), ``"char_wb"``
    (with ``ngram_range``) or a callable from text to terms; ``sublinear_tf`` as in
    scikit-learn. ``idf_`` holds the learnt weights.
    """

    def __init__(
        self,
        *,
        analyzer: Literal["word", "char_wb"] | Analyzer = "word",
        stop_words: Literal["english"] | None = None,
        ngram_range: tuple[int, int] = (1, 1),
        sublinear_tf: bool = False,
    ) -> None:
        super().__init__(stop_words=stop_words, ngram_range=ngram_range)
        self.analyzer = analyzer
        self.sublinear_tf = sublinear_tf
        self.idf_: np.ndarray | None = None

    def _analyzer(self) -> Analyzer:
        if callable(self.analyzer):
            return self.analyzer
        if self.analyzer == "char_wb":
            return _char_wb_analyzer(self.ngram_range)
        return super()._analyzer()

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Learn terms and idf from ``docs``; their L2-normalised TF-IDF rows.

        Raises ``ValueError`` (as scikit-learn) when no document has a term.
        """
        import numpy as np

        counts = self._counts(docs, True, np.float64)
        # smooth idf, as scikit-learn: one more document holding every term
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        df += 1.0
        idf = np.full_like(df, fill_value=counts.shape[0] + 1, dtype=np.float64)
        idf /= df
        np.log(idf, out=idf)
        idf += 1.0
        self.idf_ = idf
        return self._weigh(counts)

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised TF-IDF rows of ``docs`` over the learnt terms.

        Raises ``ValueError`` (as scikit-learn) when ``docs`` is empty.
        """
        import numpy as np

        counts = self._counts(docs, False, np.float64)
        _check_rows(counts.shape, "TfidfTransformer")
        return self._weigh(counts)

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        import numpy as np

        assert self.idf_ is not None
        data = counts.data
        if self.sublinear_tf:
            np.log(data, data)
            data += 1.0
        data *= self.idf_[counts.indices]
        _l2_normalize_in_place(counts)
        return counts
