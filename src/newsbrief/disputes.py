"""Where sources disagree: claims that some speakers make and others deny.

Built on the attributed statements of ``newsbrief.quotes`` (each knows its
speaker and whether it denies or negates). A claim and a denial are linked when

* *they say the same thing*: the denial's words are close to the claim's
  (TF-IDF cosine over character n-grams, speakers' names included, at
  ``similarity`` or above), or
* *the denial answers it*: the denial has no proposition of its own ("It's
  rubbish", "denied the Russian assertion", "That's not possible") and the
  claim is the last one made, by someone else, in the two paragraphs before it
  in the same article (how reporters set a denial against a claim).

Speakers on the two sides must differ. Linked claims and denials form one
dispute; every side is shown with the statements (and their sentences) that
back it, so nothing is asserted that the articles do not say. A cluster in
which nobody denies anything has no dispute.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from newsbrief.model import Attribution, Dispute, Stance
from newsbrief.quotes import (
    DENIAL_LEMMAS,
    DISMISSAL,
    NEGATION,
    normalize_text,
    quoted_spans,
    similarity_matrix,
    speaker_key,
)
from newsbrief.text import UnionFind

if TYPE_CHECKING:
    import numpy as np

__all__ = ["find_disputes"]

_CLAIM_NOUNS = re.compile(
    r"\b(?:claims?|assertions?|allegations?|accusations?|reports?|statements?|suggestions?|"
    r"charges?|story|stories|account|wrongdoing|involvement|this|that|it|any such thing)\b",
    re.I,
)
_CONTRAST = re.compile(r"\b(?:however|but|though|although|flatly|denied|denies|denying)\b", re.I)
# A claim about what someone may or would do is not contradicted by "we are not doing it".
_HEDGED = re.compile(
    r"\b(?:can|could|would|will|may|might|should|open to|willing|possible|possibility|"
    r"ready to|prepared to|consider\w*|open(?:ed|s)? the door|likely|seems?|appears?|looks)\b",
    re.I,
)
_CONTEXT_CHARS = 900
"""How far back (in characters of the same article) a bare denial looks for its claim."""


def _answers_without_proposition(d: Attribution) -> bool:
    """A denial that only makes sense against a claim made before it."""
    words = len(d.content.split())
    if d.cue_lemma in DENIAL_LEMMAS and _CLAIM_NOUNS.search(d.content):
        return True  # "denied the Russian assertion", "denied any wrongdoing"
    return DISMISSAL.search(d.content) is not None and words <= 8  # "It's rubbish"


_DECISION = re.compile(
    r"\b(?:will|would|shall|can|could|may|might|must|going to|gonna)\s+(?:not|never)\b|"
    r"\b(?:wo|ca|would|could|should)n[’']t\b|\bno longer\b|\bnot\s+be\s+able\b",
    re.I,
)


def _denies(a: Attribution) -> bool:
    """A statement that says a claim is false, not one that refuses or decides something
    ("will not be able to compete"), nor a long quote with a "not" somewhere in it."""
    if a.cue_lemma in DENIAL_LEMMAS or DISMISSAL.search(a.content):
        return True
    first = re.split(r"(?<=[.!?])\s", a.content, maxsplit=1)[0]
    return len(a.content.split()) <= 40 and _DECISION.search(first) is None


def _set_against(d: Attribution) -> bool:
    """The reporter sets the denial against what came before: "However, officials said ...",
    "The Pentagon, however, said ..." (a connective before the content, outside quotes)."""
    at = d.sentence.find(d.content)
    prefix = d.sentence[: at if at >= 0 else 0]
    for start, end in reversed(quoted_spans(prefix)):
        prefix = prefix[:start] + prefix[end:]
    last = re.split(r"[.!?]\s+", prefix)[-1]
    return _CONTRAST.search(last) is not None


_AUXILIARY = frozenset({"going", "gonna", "able", "doing", "being", "have", "been", "really"})


def _negated_stem(content: str) -> str | None:
    """The stem of the first content word after the negation: "is not coordinating" -> "coord"."""
    m = NEGATION.search(content)
    if m is None:
        return None
    for word in normalize_text(content[m.end() :]).split()[:4]:
        if len(word) >= 4 and word not in _AUXILIARY:
            return word[:5]
    return None


def _names(text: str) -> set[str]:
    """Stems of the capitalised words after the first: the names a statement is about."""
    words = re.findall(r"[A-Za-z][\w’'-]*", text)[1:]
    return {w.casefold()[:5] for w in words if w[0].isupper() and len(w) >= 4}


def _is_side(speaker: str) -> bool:
    """A speaker who can take a side: not a share of people ("41 percent of people ..."),
    a relative pronoun, or a whole clause."""
    words = speaker.split()
    return not (
        re.search(r"\d|percent|%|\bone-(?:third|half|quarter)\b", speaker, re.I)
        or words[0].casefold() in {"who", "which", "that", "fact"}
        or len(words) > 12
    )


def _stems(text: str) -> set[str]:
    """Content words cut to five letters: a truncation stemmer, so that "coordinate" meets
    "coordinating" and "provided" meets "providing"."""
    return {w[:5] for w in normalize_text(text).split() if len(w) >= 4}


def find_disputes(
    attributions: Sequence[Attribution],
    similarity: float = 0.25,
) -> list[Dispute]:
    """Claims set against their denials, most-reported first; empty when nobody disagrees."""
    statements = [
        a for a in attributions if a.speaker and a.content.strip() and _is_side(a.speaker)
    ]
    cues = {(a.article_id, a.cue_start) for a in statements if a.cue}
    claims = [
        i for i, a in enumerate(statements)
        if not a.denial and len(a.content.split()) >= 5 and _HEDGED.search(a.content) is None
        # "agreed to meet ...", "urged voters to ...": a decision or a request, no claim
        and not a.content.lstrip().lower().startswith("to ")
        # "the AP reported the ministry saying ...": the claim is the ministry's, not the AP's
        and not any((a.article_id, c) in cues for c in range(a.content_start, a.content_end))
    ]
    denials = [i for i, a in enumerate(statements) if a.denial and _denies(a)]
    if not claims or not denials:
        return []
    sims = similarity_matrix([a.content for a in statements])
    stems = [_stems(a.content) for a in statements]
    keys = [speaker_key(a.speaker or "") for a in statements]
    links: dict[tuple[int, int], float] = {}
    for j in denials:
        for i, sim in _answered(j, statements, claims, sims, stems, keys, similarity):
            links[(i, j)] = max(links.get((i, j), 0.0), sim)
    if not links:
        return []
    _follow_on(statements, denials, links)
    # a dispute is a connected set of claims and denials; two sets that share a
    # speaker on the same side (the ministry's claims, Dorrian's denials) are one
    nodes = sorted({x for pair in links for x in pair})
    sides = UnionFind(nodes)
    for i, j in links:
        sides.union(i, j)
    by_speaker: list[tuple[bool, str, int]] = []
    for x in nodes:
        a = statements[x]
        for denial, speaker, other in by_speaker:
            if denial == a.denial and _same_speaker(speaker, a.speaker or ""):
                sides.union(x, other)
                break
        else:
            by_speaker.append((a.denial, a.speaker or "", x))
    claim_set = set(claims)
    out: list[tuple[int, int, Dispute]] = []
    for members in sides.groups():
        claim_ids = [m for m in members if m in claim_set]
        denial_ids = [m for m in members if m not in claim_set]
        if not claim_ids or not denial_ids:
            continue
        # the claim shown is the one the denials answer most closely
        weight: dict[int, float] = {}
        for (i, _), v in links.items():
            if i in members:
                weight[i] = weight.get(i, 0.0) + v
        main = max(claim_ids, key=lambda i: (weight.get(i, 0.0), -statements[i].content_start))
        dispute = Dispute(
            claim=statements[main].content,
            claimed_by=_stances([statements[i] for i in claim_ids]),
            denied_by=_stances([statements[j] for j in denial_ids]),
            similarity=round(max(v for (i, _), v in links.items() if i in members), 3),
        )
        reach = len({s.article_id for st in dispute.claimed_by + dispute.denied_by
                     for s in st.statements})
        out.append((-reach, min(statements[m].content_start for m in members), dispute))
    out.sort(key=lambda x: (x[0], x[1]))
    return [d for _, _, d in out]


_FOLLOW_ON_CHARS = 400
"""A denial this close after another one (same article) goes on with it."""


def _follow_on(
    statements: Sequence[Attribution], denials: Sequence[int], links: dict[tuple[int, int], float]
) -> None:
    """A denial right after a linked one answers the same claims ("Officials said none was
    shared. “There is no exchange of targets,” said a spokesman.")."""
    claims_of: dict[int, set[int]] = {}
    for i, j in links:
        claims_of.setdefault(j, set()).add(i)
    for j in denials:
        d = statements[j]
        # only quoted words, or the same speaker going on, elaborate a denial
        if j in claims_of:
            continue
        before = [
            k for k in claims_of
            if statements[k].article_id == d.article_id
            and (d.kind == "direct" or d.speaker == statements[k].speaker)
            and 0 <= min(d.content_start, d.cue_start or d.content_start)
            - statements[k].content_end <= _FOLLOW_ON_CHARS
        ]
        if before:
            k = max(before, key=lambda x: statements[x].content_end)
            for i in claims_of[k]:
                links.setdefault((i, j), 0.0)


def _answered(
    j: int,
    statements: Sequence[Attribution],
    claims: Sequence[int],
    sims: np.ndarray,
    stems: Sequence[set[str]],
    keys: Sequence[str],
    similarity: float,
) -> list[tuple[int, float]]:
    """The claims that denial ``j`` answers, with the similarity of each pair."""
    d = statements[j]
    out: list[tuple[int, float]] = []
    import numpy as np

    # "denied Russian claims of ...", "Moscow's allegations": the denial names whose claims
    claim_noun = _CLAIM_NOUNS.search(d.content)
    names_claimant = (
        d.cue_lemma in DENIAL_LEMMAS and claim_noun is not None
        and re.search(r"\b[A-Z]", d.content[: claim_noun.start()]) is not None
    )
    # 1. the denial says the opposite of a claim, in the same words
    negated = _negated_stem(d.content)
    names = _names(d.content)
    row = sims[j, np.asarray(claims)]
    for i in np.flatnonzero(row >= similarity / 2).tolist():
        c = claims[i]
        if keys[c] == keys[j]:
            continue
        if len(stems[c] & stems[j]) < 2:
            continue
        if not names & _names(f"{statements[c].speaker} {statements[c].content}"):
            continue  # about someone else: "no unusual disturbances" vs "unusual election"
        # "not flying" answers "were flying", not any sentence on the topic; when the
        # negated word is the claim's, less overlap is needed
        if negated is not None and not names_claimant:
            if negated not in stems[c]:
                continue
        elif row[i] < similarity and not names_claimant:
            continue
        if names_claimant and not (_stems(statements[c].speaker or "") & stems[j]):
            continue  # "denied Russian claims of ...": only the Russians' claims
        out.append((c, float(row[i])))
    # 2. "Obama denied that he was “tense” in his encounter with Jan Brewer": a denial that
    #    names the claimant answers the claim of hers that shares the word it denies
    if d.cue_lemma in DENIAL_LEMMAS:
        named = {c: len(_common_words(statements[c].content, d.content)) for c in claims
                 if keys[c] != keys[j] and _names_claimant(d.content, statements[c].speaker or "")}
        most = max(named.values(), default=0)
        out += [(c, float(sims[c, j])) for c, n in named.items()
                if n and n == most and (c, float(sims[c, j])) not in out]  # the closest ones
    # 3. a bare denial, or one set against what comes before ("however", "but"),
    #    answers the claim made just before it
    bare = _answers_without_proposition(d)
    if bare or _set_against(d):
        before = [
            i for i in claims
            if statements[i].article_id == d.article_id
            # a denial with words of its own must share one with the claim or its claimant
            and (bare or stems[j] & (stems[i] | _stems(statements[i].speaker or "")))
            and d.content_start - _CONTEXT_CHARS <= statements[i].content_end
            and statements[i].content_end <= min(d.content_start, d.cue_start) + 1
            and keys[i] != keys[j]
            and not _same_speaker(statements[i].speaker or "", d.speaker or "")
        ]
        if before:
            i = max(before, key=lambda k: statements[k].content_end)
            out.append((i, float(sims[i, j])))
    return out


def _common_words(a: str, b: str) -> set[str]:
    """Stems of the lower-case content words two statements share (not the names in them:
    "Ashby Mill" in both says they are about one place, not one claim)."""
    def words(text: str) -> set[str]:
        return {w[:5] for w in re.findall(r"\b[a-z][a-z’'-]{3,}", text)} - _AUXILIARY_STEMS

    return words(a) & words(b)


_AUXILIARY_STEMS = frozenset({"have", "been", "were", "that", "this", "with", "from", "they",
                              "their", "will", "would", "about", "there", "what", "which"})


def _names_claimant(text: str, speaker: str) -> bool:
    """Whether a denial names the person who made the claim (by surname)."""
    words = [w for w in speaker.split() if w[:1].isupper()]
    return bool(words) and len(words[-1]) >= 3 and re.search(
        rf"\b{re.escape(words[-1])}\b", text) is not None


# A bare "official" or "spokesman" may be anyone's; a bare "ministry" is the one named before.
_ANYONE = frozenset({"official", "source", "spokesman", "spokeswoman", "spokesperson",
                     "person", "people", "analyst", "expert", "observer", "resident", "witness"})


def _same_speaker(a: str, b: str) -> bool:
    """"Russian Ministry of Defense" and "Russian defence ministry"; not "U.S. officials"
    and "Pentagon officials"."""
    key = speaker_key(a)
    if key != speaker_key(b):
        return False
    wa = {w for w in normalize_text(a).split() if speaker_key(w) != key}
    wb = {w for w in normalize_text(b).split() if speaker_key(w) != key}
    if not wa or not wb:
        return wa == wb or key not in _ANYONE
    return bool(wa & wb)


def _stances(statements: Sequence[Attribution]) -> tuple[Stance, ...]:
    """Statements grouped by speaker, the speaker heard in most articles first."""
    groups: list[list[Attribution]] = []
    for s in statements:
        for group in groups:
            if _same_speaker(s.speaker or "", group[0].speaker or ""):
                group.append(s)
                break
        else:
            groups.append([s])
    stances = []
    for group in groups:
        names = Counter(s.speaker for s in group if s.speaker)
        name = max(names, key=lambda n: (len(n.split()), names[n], len(n)))
        stances.append(Stance(speaker=name, statements=tuple(group)))
    stances.sort(key=lambda st: -len(st.article_ids))
    return _one_body(stances)


# Words of a speaker that name no body: heads and titles any body has.
_GENERIC = frozenset(
    """ministry department office officials official spokesman spokeswoman spokesperson
    military army government state defense defence foreign affairs interior press secretary
    agency forces force command council committee house senate the a an of and its his her
    their
    """.split()  # noqa: SIM905 (a word list)
)
# Speakers that report what a body says rather than speak for it.
_REPORTERS = re.compile(r"\b(?:outlets?|media|newspapers?|agency|television|tv|channel|"
                        r"broadcaster|reporters?|journalists?|news)\b", re.I)
_US = frozenset({"u.s.", "us", "united", "america", "american", "americans", "washington"})


def _anchors(st: Stance) -> set[str]:
    """The words naming the body a speaker speaks for, cut to five letters so that a
    country and its people meet ("Russia", "Russian"): from a description's capitalised
    words ("Russian Ministry of Defense"), from a person's role ("Pentagon spokesman")."""
    speaker = st.speaker
    roles = Counter(s.role for s in st.statements if s.role)
    role = roles.most_common(1)[0][0] if roles else ""
    if _REPORTERS.search(f"{speaker} {role}"):
        return set()
    words = speaker.split()
    person = all(w[:1].isupper() for w in words) and not any(
        w.casefold().strip("’'s") in _GENERIC for w in words) and len(words) >= 2
    text = role if person else f"{speaker} {role}"
    out = set()
    for w in re.findall(r"[A-Z][\w.’'-]*", text):
        w = re.sub(r"[’']s$", "", w).casefold()
        if w in _GENERIC or len(w) < 3:
            continue
        out.add("u.s." if w in _US else w[:5])
    return out


def _one_body(stances: Sequence[Stance]) -> tuple[Stance, ...]:
    """Speakers of one side that are one body (Russia, the Russian Ministry of Defense,
    "Russian's military") shown together under its name: the shortest name of the body a
    speaker gives ("Russia"), else the speaker heard in most articles."""
    anchors = [_anchors(st) for st in stances]
    bodies = UnionFind(range(len(stances)))
    for i in range(len(stances)):
        for j in range(i + 1, len(stances)):
            if anchors[i] & anchors[j]:
                bodies.union(i, j)
    out: list[Stance] = []
    for members in sorted(bodies.groups(), key=min):
        if len(members) == 1:
            out.append(stances[members[0]])
            continue
        shared = set.intersection(*(anchors[m] for m in members)) or anchors[members[0]]
        whole = [stances[m].speaker for m in sorted(members)
                 if re.sub(r"[’']s$", "", stances[m].speaker).casefold()[:5] in shared
                 and len(stances[m].speaker.split()) == 1]
        name = min(whole, key=len) if whole else stances[min(members)].speaker
        out += [replace(stances[m], body=name) for m in sorted(members)]
    return tuple(out)
