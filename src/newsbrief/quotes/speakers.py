"""Speakers across the cluster: every mention of a speaker becomes the fullest name given.

A pronoun ("he", "she") becomes the nearest person before it, in its own unit or the two
before, who can be the speaker: a person quoted before, or a person who is the subject of a
sentence (not the one spoken to, a victim or an object: "told Trump", "shot Scott"), named
outside any quote or reported clause, of the pronoun's gender where the cluster shows it
("Mrs.", "his wife", "spokeswoman"). With no such person the pronoun stays as written. A
surname becomes the fullest form any article gives ("Mr. Spicer" -> "Sean Spicer"); a
definite role ("the White House spokesman") the person just named whose role shares two
words with it. Roles come from appositions and the words before a name ("White House press
secretary Sean Spicer") and describe a person (``role_ok``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from newsbrief.model import Attribution, CleanArticle
from newsbrief.quotes.attribution import Found, speaker_role
from newsbrief.quotes.lexicon import (
    PRONOUN_GENDER,
    TITLE,
    gender_of,
    is_name,
    is_person_noun,
    speaker_key,
    strip_title,
)
from newsbrief.quotes.marks import Unit
from newsbrief.text import spelled_alike, stop_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["ANTECEDENT_UNITS", "People", "collect_roles", "names_in_text", "one_spelling",
           "resolve"]

ANTECEDENT_UNITS = 2
"""How far back "he" or "she" looks for the person it stands for: its own unit and the
two before it. The window quotes have used since issue 4, not tuned on its own."""
_SPACE = re.compile(r"\s+")
_APPOSITION = re.compile(r",\s+(?:a|an|the|its|their|one)\s.*$", re.I)
"""An apposition after a name: ", a local conservation charity"."""


@dataclass(slots=True)
class People:
    """Every person the cluster names, by surname, with the roles it gives them."""

    names: dict[str, Counter[str]]
    roles: dict[str, Counter[str]]
    genders: dict[str, Counter[str]] = field(default_factory=dict)
    """By surname: how often the cluster shows the person as a woman ("f") or a man ("m")."""

    def add_gender(self, name: str, gender: str) -> None:
        """Count one sign of the person's gender (a title, "his wife", "spokeswoman")."""
        words = strip_title(name.split())
        if words:
            self.genders.setdefault(speaker_key(words[-1]), Counter())[gender] += 1

    def gender(self, name: str) -> str | None:
        """The gender the cluster shows for the person, None when it shows none or both."""
        words = name.split()
        counts = self.genders.get(speaker_key(words[-1])) if words else None
        if not counts or len(counts) != 1:
            return None
        return next(iter(counts))

    def add(self, name: str, role: str | None = None) -> None:
        """Count one mention of ``name`` (titles dropped), with the role it is given."""
        words = strip_title(name.split())
        if not words:
            return
        key = speaker_key(words[-1])
        self.names.setdefault(key, Counter())[" ".join(words)] += 1
        role = role_ok(role)
        if role:
            self.roles.setdefault(key, Counter())[role] += 1

    def fullest(self, name: str, local: Iterable[str] = ()) -> str:
        """The longest form of the name: the article's own first, else the cluster's."""
        words = strip_title(name.split())
        if not words:
            return name
        key = speaker_key(words[-1])
        first = words[0] if len(words) > 1 else None

        def fits(candidate: str) -> bool:
            cw = candidate.split()
            return speaker_key(cw[-1]) == key and (first is None or cw[0] == first)

        best = " ".join(words)
        pools = (list(local), list(self.names.get(key, Counter())))
        if first is None and len({c.split()[0] for pool in pools for c in pool
                                  if fits(c) and len(c.split()) > 1}) > 1:
            return best  # two people of the story share the surname: keep it as written
        # the article's own fullest form first; the cluster's when the article has only
        # the surname ("Spicer said" in one outlet, "Sean Spicer" in another)
        for pool in pools:
            matches = [c for c in pool if fits(c)]
            if matches:
                found = max(matches, key=lambda c: (len(c.split()), len(c)))
                if len(found.split()) > len(best.split()):
                    best = found
            if len(best.split()) > 1:
                return best
        return best

    def role(self, name: str) -> str | None:
        """The role the cluster gives the person most often; None when it gives none."""
        counts = self.roles.get(speaker_key(name.split()[-1]))
        if not counts:
            return None
        # "chairman of ..." and "Chairman of ..." are one role; show the commoner spelling
        folded: Counter[str] = Counter()
        for role, n in counts.items():
            folded[role.casefold()] += n
        return max(counts, key=lambda r: (folded[r.casefold()], counts[r], -len(r)))


def _shared_words(a: str, b: str) -> int:
    wa = {w.casefold() for w in re.findall(r"[A-Za-z]+", a)} - stop_words()
    wb = {w.casefold() for w in re.findall(r"[A-Za-z]+", b)} - stop_words()
    return len(wa & wb)


_HONORIFIC = frozenset({"President", "Secretary", "Senator", "Sen", "Rep", "Representative",
                        "Governor", "General", "Judge", "Justice", "Prime", "Minister", "Pope",
                        "Chancellor", "Mayor", "Chief", "Press", "The", "Mr", "Mrs", "Ms", "Dr"})


def names_in_text(
    articles: Sequence[CleanArticle], found: Mapping[str, Sequence[Found]], people: People
) -> None:
    """Full names for speakers known only by surname, from any article of the cluster.

    Sentences with no cue are not parsed, so "Sean Spicer" in one of them is only
    found by looking for capitalised words right before the surname.
    """
    known = {k for k, names in people.names.items() if any(len(n.split()) > 1 for n in names)}
    surnames: set[str] = set()
    for fs in found.values():
        for f in fs:
            if not f.person:
                continue  # only people: "Russia" is no one's surname
            words = f.person.split()
            if (len(words) == 1 and words[0][:1].isupper() and words[0].isalpha()
                    and speaker_key(words[0]) not in known):
                surnames.add(words[0])
    for surname in surnames:
        pattern = re.compile(rf"\b((?:[A-Z][\w’'-]*\.?\s+){{1,3}}){re.escape(surname)}\b")
        for a in articles:
            for m in pattern.finditer(a.text):
                words = [w for w in m.group(1).split() if w.rstrip(".") not in _HONORIFIC]
                if words and not TITLE.match(words[0]):
                    people.add(" ".join([*words, surname]))


def collect_roles(doc: Doc, people: People) -> None:
    """Roles given to named people anywhere in a parsed unit ("Sean Spicer, the ... secretary"),
    and the signs of their gender: a title before the name, a gendered word in its role or
    right before it ("Mrs. Clinton", "his wife Yoko Ono", "spokeswoman Jane Doe")."""
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        head = ent.root
        left, right = head.left_edge.i, head.right_edge.i + 1
        role = speaker_role(doc, left, right, head, ent)
        if role:
            people.add(ent.text, role)
        gender = gender_of([*ent.text.split()[:1], *(role or "").split(),
                            *(t.text for t in doc[max(0, ent.start - 2) : ent.start])])
        if gender:
            people.add_gender(ent.text, gender)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """Someone a pronoun may stand for: where named, the name, the gender the text shows."""

    position: int
    name: str
    gender: str | None
    subject: bool = True
    """Named as the subject of a clause (or quoted): someone who can be "he" or "she"."""


_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _is_subject(ent: Span) -> bool:
    """A person who is the subject of a clause, or in apposition to one: someone who can be
    "he" or "she" in the next sentence; not an object, someone spoken to, or a modifier."""
    root = ent.root
    if root.dep_ == "appos":
        root = root.head
    if root.dep_ == "nsubjpass":
        return root.head.lower_ in {"asked", "quoted", "interviewed", "questioned"}
    return root.dep_ == "nsubj"


def _person_mentions(
    article: CleanArticle,
    units: Sequence[Unit],
    docs: Mapping[tuple[str, int], Doc],
    people: People,
    reported: Sequence[tuple[int, int]],
) -> list[_Candidate]:
    """People named outside quote marks and reported clauses, each marked as the subject of
    a clause or not."""
    from newsbrief.quotes.marks import article_quotes

    quotes = article_quotes(article)
    out = []
    for u in units:
        doc = docs.get((article.id, u.start))
        if doc is None:
            continue
        for ent in doc.ents:
            if ent.label_ != "PERSON" or not is_name(ent.text):
                continue
            pos = u.start + ent.start_char
            if any(s <= pos < e for s, e in quotes) or any(s <= pos < e for s, e in reported):
                continue
            name = " ".join(strip_title(ent.text.split()))
            if name:
                out.append(_Candidate(pos, name, people.gender(name), _is_subject(ent)))
    return sorted(out, key=lambda c: c.position)


def role_ok(role: str | None) -> str | None:
    """The role when it describes a person: words, no number alone, URL or stray word ("63",
    "bar", "www.example.org"); a one-word role must be a noun for a person ("spokesman")."""
    if not role:
        return None
    words = role.split()
    if re.search(r"https?:|www\.|\.(?:com|org|net)\b|@", role):
        return None
    if not any(re.fullmatch(r"[A-Za-z][\w’'.-]*", w) and len(w) > 2 for w in words):
        return None  # "63", "D-Wis."
    if len(words) == 1 and not is_person_noun(words[0]):
        return None  # "bar"
    return role


def resolve(
    article: CleanArticle,
    found: Sequence[Found],
    units: Sequence[Unit],
    docs: Mapping[tuple[str, int], Doc],
    people: People,
) -> list[Attribution]:
    """Name each speaker: pronouns, surnames and role descriptions become the fullest name."""
    # persons named in the article, in order: (char position, name)
    mentions: list[tuple[int, str]] = []
    local_names: list[str] = []
    descriptions: list[tuple[int, str, str]] = []  # position, head lemma, description
    for u in units:
        doc = docs.get((article.id, u.start))
        if doc is None:
            continue
        for ent in doc.ents:
            if ent.label_ == "PERSON" and is_name(ent.text):
                mention = " ".join(strip_title(ent.text.split()))
                if mention:
                    mentions.append((u.start + ent.start_char, mention))
                    local_names.append(mention)
    mentions.sort()
    named = _person_mentions(article, units, docs, people, [f.content for f in found])
    speakers: list[_Candidate] = []  # people quoted so far, where named
    out: list[Attribution] = []
    last_speaker: tuple[int, str, str | None] | None = None  # position, name, role
    for f in found:
        speaker_text = (
            article.text[f.speaker[0] : f.speaker[1]] if f.speaker is not None else ""
        )
        name: str | None
        role: str | None = f.role
        position = f.cue[0]
        resolved = False
        if f.goes_on:
            name = None
            if last_speaker is not None:
                name, role = last_speaker[1], last_speaker[2]
            if name is None:
                continue
        elif f.person:
            name = people.fullest(f.person, local_names)
        elif f.pronoun and f.speaker is not None:
            gender = PRONOUN_GENDER.get(speaker_text.strip().casefold())
            candidate = _antecedent(f.speaker[0], gender, units, named, speakers)
            name = people.fullest(candidate.name, local_names) if candidate else None
        else:
            name, resolved = _description(f, speaker_text, position, mentions, descriptions,
                                          people, local_names)
        is_person = f.person is not None or f.pronoun or resolved or (
            f.goes_on and last_speaker is not None)
        if name and is_person:
            role = people.role(name) or role
        role = role_ok(role)
        content = article.text[f.content[0] : f.content[1]]
        attribution = Attribution(
            article_id=article.id,
            sentence_id=f.unit.sentence_id,
            sentence=_SPACE.sub(" ", f.unit.text.strip()),
            speaker=name,
            speaker_text=speaker_text if not f.goes_on else "",
            speaker_start=f.speaker[0] if f.speaker and not f.goes_on else None,
            speaker_end=f.speaker[1] if f.speaker and not f.goes_on else None,
            role=role if name and is_person else None,
            cue=f.cue[2],
            cue_lemma=f.cue[3],
            cue_start=f.cue[0],
            cue_end=f.cue[1],
            content=_SPACE.sub(" ", content),
            content_start=f.content[0],
            content_end=f.content[1],
            kind=f.kind,
            denial=f.denial,
            said=f.said,
        )
        out.append(attribution)
        if name and is_person:
            last_speaker = (f.content[1], name, role)
            if f.speaker is not None and not f.goes_on:
                gender = people.gender(name) if (f.person or f.pronoun) else gender_of(
                    speaker_text.split())
                if f.pronoun:
                    gender = PRONOUN_GENDER.get(speaker_text.strip().casefold()) or gender
                speakers.append(_Candidate(f.speaker[0], name, gender))
        elif f.speaker is not None and not f.goes_on and _person_description(speaker_text):
            # "a spokeswoman said": someone the next "she" may stand for, named as described
            speakers.append(_Candidate(f.speaker[0], name or speaker_text,
                                       gender_of(speaker_text.split())))
    return out


def _person_description(text: str) -> bool:
    """A description of one person ("a spokeswoman", "the mayor of Marrowfield")."""
    words = re.sub(r"\s+(?:of|for|at|in|from|with)\s.*$", "", text.strip()).split()
    return bool(words) and not words[-1].endswith("s") and is_person_noun(words[-1])


def _antecedent(
    position: int,
    gender: str | None,
    units: Sequence[Unit],
    named: Sequence[_Candidate],
    speakers: Sequence[_Candidate],
) -> _Candidate | None:
    """Who "he" or "she" at ``position`` is: the nearest person before it, in its unit or the
    ``ANTECEDENT_UNITS`` before, quoted before or the subject of a clause, whose gender (where
    the cluster shows it) is the pronoun's.

    None when no one fits, or when the nearest fits only because its gender is unknown while
    someone else nearby is known to have the pronoun's gender ("John Lennon met his wife Yoko
    Ono. “...,” she said": not Lennon): the pronoun then stays as written.
    """
    window_start = position
    for u in units:
        if u.start <= position < u.end:
            window_start = units[max(0, u.index - ANTECEDENT_UNITS)].start
            break
    near = [c for c in [*named, *speakers] if window_start <= c.position < position]
    fitting = [c for c in near if c.subject
               and (gender is None or c.gender is None or c.gender == gender)]
    if not fitting:
        return None
    best = max(fitting, key=lambda c: c.position)
    if gender is not None and best.gender is None and any(
        c.gender == gender and speaker_key(c.name) != speaker_key(best.name) for c in near
    ):
        return None
    return best


def _description(
    f: Found,
    speaker_text: str,
    position: int,
    mentions: Sequence[tuple[int, str]],
    descriptions: list[tuple[int, str, str]],
    people: People,
    local_names: Sequence[str],
) -> tuple[str | None, bool]:
    """A speaker named by description: a person whose role matches, else the fullest description.

    Returns the name and whether it is a person's.
    """
    text = _SPACE.sub(" ", speaker_text).strip()
    if not text or text.casefold() in {"they", "we", "i", "you", "it", "them"}:
        return None, False
    # "The River Trust, a local conservation charity": the name, not its description
    text = _APPOSITION.sub("", text) or text
    words = text.split()
    if all(w[:1].isupper() for w in words) and speaker_key(words[-1]) in people.names:
        # "Spicer" where the entity recogniser missed the name but the cluster has it
        return people.fullest(text, local_names), True
    if not f.able or text.casefold() in {"who", "which", "that"}:
        return None, False  # a thing, or a "who" nobody stands for: say nothing
    definite = text.casefold().startswith(("the ", "this "))
    if definite:
        # "the White House spokesman" after "Sean Spicer, the White House press secretary"
        for pos, name in reversed([m for m in mentions if m[0] < position][-4:]):
            role = people.role(name)
            if role and _shared_words(role, text) >= 2 and pos > position - 1500:
                return people.fullest(name, local_names), True
    bare = re.sub(r"^(?:the|The)\s+", "", text)
    if definite:
        # "the ministry" after "the Russian defense ministry"
        longer = [d for p, lemma, d in descriptions if lemma == f.head_lemma and len(d) > len(bare)]
        if longer:
            bare = max(longer, key=len)
    descriptions.append((position, f.head_lemma, bare))
    return (bare[0].upper() + bare[1:] if bare[:1].islower() and definite else bare), False


def _spelling_variant(a: str, b: str) -> bool:
    """"Ron Gaines" and "Ron Gains": the same first name (or initial) and surnames that
    differ by a letter or two. Two people of one story rarely have such names; one person
    spelled two ways by two outlets often does."""
    wa, wb = strip_title(a.split()), strip_title(b.split())
    if len(wa) < 2 or len(wb) < 2 or wa == wb:
        return False
    fa, fb = wa[0].rstrip(".").casefold(), wb[0].rstrip(".").casefold()
    if fa != fb and not ((len(fa) == 1 or len(fb) == 1) and fa[0] == fb[0]):
        return False
    return spelled_alike(wa[-1], wb[-1])  # one surname: speaker_key already joins them


def one_spelling(attributions: Sequence[Attribution]) -> list[Attribution]:
    """One spelling per person: a speaker that outlets spell two ways ("Ron Gaines", "Ron
    Gains") is shown everywhere in the spelling most reports use, so the brief neither
    lists two people nor sets one person against himself."""
    names = Counter(a.speaker for a in attributions if a.speaker)
    spelled: dict[str, str] = {}
    kept: list[str] = []
    for name, _ in names.most_common():
        for other in kept:
            if _spelling_variant(name, other):
                spelled[name] = other
                spelled.setdefault(name.split()[-1], other)  # "Gains" alone, too
                break
        else:
            kept.append(name)
    if not spelled:
        return list(attributions)
    return [replace(a, speaker=spelled[a.speaker]) if a.speaker in spelled else a
            for a in attributions]
