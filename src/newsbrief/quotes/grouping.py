"""Reports of one statement across outlets, grouped: one ``Quote`` each.

Reports by one speaker are one statement when their words are close: cosine
similarity of TF-IDF vectors over character 3-5-grams of the normalised text
(``newsbrief.vectors``; character n-grams keep "gonna"/"going to" and "coordinate"/
"coordinating" close), or when one's words are almost all inside the other's
("rubbish" in "It's rubbish ... propaganda"). A report in the outlet's own words
joins the quoted statement it renders, and that outlet is listed as a paraphrase.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from newsbrief.model import Attribution, Quote
from newsbrief.quotes.lexicon import speaker_key
from newsbrief.quotes.marks import quoted_spans
from newsbrief.text import UnionFind, containment, stop_words
from newsbrief.vectors import TfidfVectorizer, l2_normalize

if TYPE_CHECKING:
    import numpy as np

__all__ = ["group_quotes", "normalize_text", "similarity_matrix"]

CONTAINED = 0.8
"""Share of the shorter quote's words found in the longer one at which two quotes by one
speaker are one statement cut differently ("rubbish" in "It's rubbish ... propaganda").
Set with issue 4 so that the seeds' two reports of John Dorrian's words are one statement;
not tuned on its own."""

_SLANG = {"gonna": "going to", "wanna": "want to", "gotta": "got to", "’": "'", "‘": "'"}
_SLANG_RE = re.compile("|".join(map(re.escape, _SLANG)), re.I)
_TOKEN = re.compile(r"[a-z0-9']+")
"""A word of the normalised text: letters, digits and apostrophes ("it's", "gonna")."""


def normalize_text(text: str) -> str:
    """Lower case, curly apostrophes straightened, "gonna" spelt out, stop words dropped."""
    text = _SLANG_RE.sub(lambda m: _SLANG[m.group(0).lower()], text.lower())
    stop = stop_words()
    return " ".join(w for w in _TOKEN.findall(text) if w not in stop)


def similarity_matrix(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors over character 3-5-grams of the normalised texts."""
    import numpy as np

    norm = [normalize_text(t) or t.lower() for t in texts]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    try:
        matrix = l2_normalize(vectorizer.fit_transform(norm))
    except ValueError:
        return np.zeros((len(texts), len(texts)))
    return np.asarray((matrix @ matrix.T).toarray())


def _containment(a: str, b: str) -> float:
    return containment(set(normalize_text(a).split()), set(normalize_text(b).split()))


def _plain(text: str) -> str:
    text = _SLANG_RE.sub(lambda m: _SLANG[m.group(0).lower()], text.lower())
    return " " + " ".join(_TOKEN.findall(text)) + " "


def _fragments(text: str) -> list[str]:
    """The quoted pieces of a partly quoted report, three words or more."""
    out = []
    for start, end in quoted_spans(text):
        piece = _plain(text[start:end])
        if len(piece.split()) >= 3:
            out.append(piece)
    return out


UNRESOLVED = frozenset({"he", "she"})
"""Pronouns shown as written when no one they can stand for is found (issue 11)."""


def _shown_speaker(a: Attribution) -> str:
    """The speaker the brief shows: the resolved name, else an unresolved "he" or "she" as
    written; empty when there is neither."""
    if a.speaker:
        return a.speaker
    written = a.speaker_text.strip()
    return written if written.casefold() in UNRESOLVED else ""


SAME_WORDS = 0.5
"""Share of the shorter quote's word trigrams found in the other at which two reports quote
the same words: "if there's a way that we can combat ISIS with any country" in two outlets
(0.7), not "We do not coordinate military strikes with the Russian military" and "The
Department of Defense is not coordinating airstrikes with the Russian military" (0.2), two
spokesmen's words alike. Set for issue 11 on the seeds."""


def _trigrams(text: str) -> set[tuple[str, ...]]:
    """Word trigrams of a text, lower case, stop words kept (the wording, not the topic)."""
    words = _TOKEN.findall(_SLANG_RE.sub(lambda m: _SLANG[m.group(0).lower()], text.lower()))
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def one_speaker_per_quote(items: Sequence[Attribution]) -> list[Attribution]:
    """One speaker for the words that several reports quote alike.

    A report whose speaker stayed an unresolved "he" or "she" takes the name the other
    outlets give the same words, where they give one. Where outlets give the same words to
    different people, the speaker in more articles keeps them; at a tie, the one named in
    the sentence rather than found from a pronoun; at a tie still, nobody does (the brief
    says less rather than guess).
    """
    direct = [i for i, a in enumerate(items) if a.kind == "direct"]
    if len(direct) < 2:
        return list(items)
    grams = [frozenset(_trigrams(items[i].content)) for i in direct]
    alike = UnionFind(range(len(direct)))
    # one quote printed by many outlets (or copies) is one set of words: compare each
    # distinct set once, and only with the sets that share a trigram with it (an inverted
    # index, so the cost follows the overlaps, not the square of the reports)
    first: dict[frozenset[tuple[str, ...]], int] = {}
    for x, g in enumerate(grams):
        alike.union(x, first.setdefault(g, x))
    postings: dict[tuple[str, ...], list[int]] = {}
    for g, x in first.items():
        for gram in g:
            postings.setdefault(gram, []).append(x)
    for g, x in first.items():
        shared: Counter[int] = Counter()
        for gram in g:
            shared.update(y for y in postings[gram] if y > x)
        for y, n in shared.items():
            if min(len(g), len(grams[y])) >= 2 and n >= SAME_WORDS * min(len(g), len(grams[y])):
                alike.union(x, y)
    clusters: dict[int, list[int]] = {}
    for x in range(len(direct)):
        clusters.setdefault(alike.find(x), []).append(direct[x])
    out = list(items)
    dropped: set[int] = set()
    for members in clusters.values():
        named = [i for i in members if items[i].speaker]
        keys = {speaker_key(items[i].speaker or "") for i in named}
        if not keys:
            continue
        articles: Counter[str] = Counter()
        explicit: Counter[str] = Counter()
        for key in keys:
            reports = [items[i] for i in named if speaker_key(items[i].speaker or "") == key]
            articles[key] = len({r.article_id for r in reports})
            explicit[key] = sum(1 for r in reports if r.speaker_text.strip().casefold()
                                not in _PRONOUNS and r.cue)
        ranked = sorted(keys, key=lambda k: (articles[k], explicit[k]), reverse=True)
        best = ranked[0]
        if len(ranked) > 1 and (articles[ranked[1]], explicit[ranked[1]]) == (
                articles[best], explicit[best]):
            dropped.update(members)  # two speakers, equally attested: say nothing
            continue
        name = next(items[i].speaker for i in named if speaker_key(items[i].speaker or "") == best)
        for i in members:
            if not items[i].speaker:
                out[i] = replace(items[i], speaker=name)  # an unresolved "he" of the same words
            elif speaker_key(items[i].speaker or "") != best:
                dropped.add(i)
    return [a for i, a in enumerate(out) if i not in dropped]


MIN_QUOTED_WORDS = 3
"""Fewest words a quote shown alone may have: "never once" or "soon" cut from their sentence
say nothing (they still join a longer report of the same words, "rubbish." with "It's
rubbish ... propaganda", and count where a denial needs them)."""


def _goes_on(a: Attribution) -> bool:
    """Whether the sentence goes on from the cue into the quote ("said, “because"), rather
    than ending first ("said in an email. “They're not ...")."""
    m = re.search(rf"\b{re.escape(a.cue)}\b(?P<gap>[^\w]{{0,8}}){re.escape(a.content[:30])}",
                  a.sentence)
    return m is not None and re.search(r"[.!?]", m["gap"]) is None


_ASIDE = re.compile(
    r",\s+(?:though|although|but|while)\s+(?:he|she|they)\s+(?:declined|refused|did\s+not|"
    r"didn[’']t|would\s+not|wouldn[’']t|gave\s+no|offered\s+no|provided\s+no)\b.*$",
    re.I | re.S)
"""The reporter's aside about the speaker after what was said ("..., though he declined to
name them"): never part of the statement."""


def _without_aside(a: Attribution) -> Attribution:
    if a.kind == "direct":
        return a
    m = _ASIDE.search(a.content)
    if m is None:
        return a
    return replace(a, content=a.content[: m.start()],
                   content_end=a.content_end - (len(a.content) - m.start()))


def join_interrupted(attributions: Sequence[Attribution]) -> list[Attribution]:
    """One statement for a quote that the reporting verb interrupts: "“Badly,” the president
    said, “because I think the country needs it.”" is shown as "Badly … because I think the
    country needs it.", not as two quotes that mean nothing alone."""
    out: list[Attribution] = []
    for a in attributions:
        prev = out[-1] if out else None
        if (prev is not None and a.kind == "direct" and prev.kind == "direct"
                and prev.article_id == a.article_id and prev.cue_start == a.cue_start
                and prev.sentence_id == a.sentence_id
                and prev.content_end <= a.cue_start < a.content_start
                and prev.speaker == a.speaker and _goes_on(a)):
            out[-1] = replace(prev, content=f"{prev.content.rstrip(' ,')} … {a.content}",
                              content_end=a.content_end)
            continue
        out.append(a)
    return out


_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "i", "we", "who"})


def group_quotes(
    attributions: Sequence[Attribution],
    same: float = 0.5,
    paraphrase: float = 0.3,
) -> list[Quote]:
    """One ``Quote`` per statement: reports by one speaker with the same words, across outlets.

    Two quoted reports are one statement at cosine similarity ``same`` or above
    (or when one's words are almost all inside the other's: "rubbish" in "It's
    rubbish ... propaganda"). A report in the outlet's own words then joins the
    quoted statement it is closest to, at ``paraphrase`` or above; a partly
    quoted one joins every statement whose words it quotes. Sorted by how many
    articles carry the statement, then by where it first appears.
    """
    items = one_speaker_per_quote([
        _without_aside(a) for a in join_interrupted(attributions) if _shown_speaker(a)
        and len(a.content.split()) >= (1 if a.kind == "direct" else 4)
        and (a.said or a.kind == "direct")])
    if not items:
        return []
    import numpy as np

    sims = similarity_matrix([a.content for a in items])
    keys = [speaker_key(_shown_speaker(a)) for a in items]
    statements = UnionFind(range(len(items)))
    find = statements.find

    # 1. quoted reports of one statement; candidate pairs come from the matrix
    rows, cols = np.nonzero(np.triu(sims >= min(paraphrase, same) * 0.5, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = items[i], items[j]
        if keys[i] != keys[j]:
            continue
        if a.kind == "direct" and b.kind == "direct":
            if sims[i, j] >= same or _containment(a.content, b.content) >= CONTAINED:
                statements.union(i, j)
        elif a.kind != "direct" and b.kind != "direct" and sims[i, j] >= same:
            statements.union(i, j)  # two outlets' paraphrases of an unquoted statement
    # 2. paraphrases join the quoted statement(s) they render
    direct = [i for i, a in enumerate(items) if a.kind == "direct"]
    extra: dict[int, list[int]] = {}
    attached: set[int] = set()
    for i, a in enumerate(items):
        if a.kind == "direct":
            continue
        same_speaker = [j for j in direct if keys[j] == keys[i]]
        if not same_speaker:
            continue
        targets: set[int] = set()
        pieces = _fragments(a.content) if a.kind == "mixed" else []
        for j in same_speaker:
            quoted = _plain(items[j].content)
            if any(piece in quoted for piece in pieces):
                targets.add(find(j))
        if not targets:
            best = max(same_speaker, key=lambda j: sims[i, j])
            if sims[i, best] >= paraphrase:
                targets.add(find(best))
        for root in targets:
            extra.setdefault(root, []).append(i)
            attached.add(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        if i not in attached or items[i].kind == "direct":
            groups.setdefault(find(i), []).append(i)
    for root, members in extra.items():
        groups.setdefault(root, []).extend(m for m in members if m not in groups[root])
    order = {a: n for n, a in enumerate(dict.fromkeys(x.article_id for x in attributions))}
    out: list[tuple[tuple[int, int], Quote]] = []
    for members in groups.values():
        quoted_members = [i for i in members if items[i].kind == "direct"] or [
            i for i in members if items[i].kind == "mixed"] or members
        rep = max(quoted_members, key=lambda i: (
            round(float(sims[i, quoted_members].sum()), 3), len(items[i].content)))
        others = sorted((items[i] for i in members if i != rep),
                        key=lambda a: (order[a.article_id], a.content_start))
        reports = [items[rep], *others]
        cues = Counter(r.cue_lemma for r in reports if r.cue_lemma)
        cue = items[rep].cue or (next(
            (r.cue for r in reports if r.cue_lemma == cues.most_common(1)[0][0]), "")
            if cues else "")
        roles = Counter(r.role for r in reports if r.role)
        # the fullest form of the name any outlet gives ("Adrian J. Rankine-Galloway")
        speaker = max((_shown_speaker(r) for r in reports if r.role or r is items[rep]),
                      key=lambda n: (len(n.split()), len(n)))
        quote = Quote(
            speaker=speaker,
            role=roles.most_common(1)[0][0] if roles else None,
            cue=cue,
            text=items[rep].content,
            kind=items[rep].kind,
            reports=tuple(reports),
        )
        first = min((order[items[i].article_id], items[i].content_start) for i in members)
        out.append(((-len(quote.article_ids), first[0] * 10**7 + first[1]), quote))
    out.sort(key=lambda x: x[0])
    return [q for _, q in out if len(q.text.split()) >= MIN_QUOTED_WORDS]
