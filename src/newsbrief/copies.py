"""Find copies: passages and whole articles that repeat another article's text.

Each kept paragraph with eight or more words of its own (quotations left out:
the same quote in two outlets is not a copy) becomes a MinHash of its word
3-grams (datasketch); an LSH index finds candidate pairs in other articles
without comparing all pairs. For each pair of articles that share passages, the
one whose text is more fully covered by the other is the copy (a re-post is
mostly the wire story; the wire story is only partly the re-post); on a tie,
the later published, else the later given. An article whose words are mostly
in copied passages is *syndicated* from the other and counts as one source
with it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

from newsbrief.model import CleanArticle, Copy, Syndication

__all__ = ["find_copies"]

NUM_PERM = 64
_WORD = re.compile(r"\w+", re.UNICODE)


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def own_words(text: str) -> str:
    """The text without what it quotes: two outlets that print the same quote have not
    copied each other, two that print the same prose around it have."""
    return _QUOTED.sub(" ", text)


def _shingles(text: str, n: int = 3) -> set[bytes]:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < n:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


def find_copies(
    articles: Sequence[CleanArticle],
    threshold: float = 0.5,
    syndication_share: float = 0.6,
    min_words: int = 8,
) -> tuple[list[Copy], list[Syndication]]:
    """Passages that repeat another article's passage, and articles that are copies as a whole."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    keys: dict[str, tuple[int, int]] = {}
    hashes: dict[str, MinHash] = {}
    words: dict[str, int] = {}
    order = {a.id: i for i, a in enumerate(articles)}
    for ai, article in enumerate(articles):
        for pi, para in enumerate(article.paragraphs):
            text = own_words(article.text[para.start : para.end])
            n_words = len(text.split())
            if n_words < min_words:
                continue
            mh = MinHash(num_perm=NUM_PERM)
            mh.update_batch(list(_shingles(text)))
            key = f"{ai}:{pi}"
            keys[key] = (ai, pi)
            hashes[key] = mh
            words[key] = n_words
            lsh.insert(key, mh)

    # pair (a, b) with a < b -> list of (para_a, para_b, similarity)
    shared: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
    for key, mh in hashes.items():
        ai, pi = keys[key]
        for other in lsh.query(mh):
            bi, qi = keys[other]
            if bi <= ai:
                continue
            sim = float(mh.jaccard(hashes[other]))
            if sim >= threshold:
                shared[(ai, bi)].append((pi, qi, sim))

    total_words = [max(1, len(a.text.split())) for a in articles]
    copies: list[Copy] = []
    syndication: list[Syndication] = []
    for (ai, bi), pairs in sorted(shared.items()):
        a, b = articles[ai], articles[bi]
        covered_a = sum(words[f"{ai}:{p}"] for p in {p for p, _, _ in pairs}) / total_words[ai]
        covered_b = sum(words[f"{bi}:{q}"] for q in {q for _, q, _ in pairs}) / total_words[bi]
        if abs(covered_a - covered_b) > 0.05:
            a_is_copy = covered_a > covered_b
        elif a.article.published and b.article.published:
            a_is_copy = a.article.published > b.article.published
        else:
            a_is_copy = order[a.id] > order[b.id]
        copy, original = (a, b) if a_is_copy else (b, a)
        share = covered_a if a_is_copy else covered_b
        for pi, qi, sim in pairs:
            cp, op = (pi, qi) if a_is_copy else (qi, pi)
            cpara, opara = copy.paragraphs[cp], original.paragraphs[op]
            copies.append(
                Copy(copy.id, cpara.start, cpara.end, original.id, opara.start, opara.end,
                     round(sim, 3))
            )
        if share >= syndication_share:
            syndication.append(Syndication(copy.id, original.id, round(float(share), 3)))
    return copies, syndication
