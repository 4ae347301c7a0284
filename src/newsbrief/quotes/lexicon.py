"""Words of who-said-what: reporting verbs, denials, dismissals, negators, titles, names.

One list of each, read by ``quotes`` (which statements deny) and ``disputes`` (which
denials answer a claim), so that the two stages agree on what a denial is; and the
forms under which two mentions of one speaker meet (``speaker_key``, ``strip_title``).
"""

from __future__ import annotations

import re

from newsbrief.text import NEGATORS

__all__ = [
    "BELIEF_LEMMAS",
    "BODY_NOUNS",
    "CUE_FORMS",
    "CUE_LEMMAS",
    "DENIAL_LEMMAS",
    "DISMISSAL",
    "FEMALE_WORDS",
    "MALE_WORDS",
    "NEGATION",
    "NEGATORS",
    "OBJECT_LEMMAS",
    "PERSON_NOUNS",
    "PRONOUNS",
    "PRONOUN_GENDER",
    "QUOTE_ONLY_LEMMAS",
    "SPEECH_LEMMAS",
    "SPEECH_NOUNS",
    "TITLE",
    "can_speak",
    "cue_lemma_of",
    "gender_of",
    "is_name",
    "is_person_noun",
    "speaker_key",
    "strip_title",
]

SPEECH_LEMMAS = frozenset(
    """say tell write add state claim deny insist argue warn announce explain note ask reply
    respond confirm acknowledge admit suggest report declare reject dismiss dispute allege assert
    maintain contend predict promise pledge vow urge complain concede recall reveal testify tweet
    stress emphasize emphasise observe agree caution comment remark mention counter retort
    accuse charge criticize criticise describe call reiterate repeat recount point cite echo
    muse wonder scoff interject brag boast lament plead demand propose recommend thank blame
    praise condemn denounce blast slam question assure inform remind hint imply speculate
    estimate conclude proclaim concur clarify elaborate specify threaten advise caution quip
    joke""".split()  # noqa: SIM905 (a word list)
)
"""Lemmas of the verbs that report speech ("call" only with a quoted word, or "called for",
"called on": called it "rubbish")."""

BELIEF_LEMMAS = frozenset(
    """think believe know hope expect fear feel worry find show indicate learn assume doubt
    realize realise recognize recognise understand reckon suspect figure project forecast
    determine judge""".split()  # noqa: SIM905 (a word list)
)
"""Verbs that attribute a belief or a finding ("Clinton's team believes that ...", "the poll
shows ..."): cues only with a clause or a quote of their own, never with an object alone."""

QUOTE_ONLY_LEMMAS = frozenset(
    "continue read chant boom shout yell scream post laugh sigh plead quip joke".split()  # noqa: SIM905
)
"""Verbs that report words only next to a quote: "“...,” he continued", "the sign read “...”"
(not "continued to push", "read the report")."""

OBJECT_LEMMAS = frozenset(
    """urge accuse criticize criticise praise blame condemn denounce blast slam thank warn
    demand promise pledge vow propose recommend cite threaten call ask""".split()  # noqa: SIM905
)
"""Speech acts whose object or infinitive is what they report: "urged voters to stay home",
"accused him of lying", "called for calm", "cited the strategic importance of ..."."""

CUE_LEMMAS = SPEECH_LEMMAS | BELIEF_LEMMAS | QUOTE_ONLY_LEMMAS
"""Lemmas of every verb that can report what someone said, thinks or found. PolNeAR's
annotators count beliefs and findings as attributions; the new lemmas of issue 11 (beliefs,
quote-only verbs, the speech acts after "call") come from the cue words PolNeAR's training
texts (the tuning part) annotate most often that newsbrief missed."""

DENIAL_LEMMAS = frozenset(
    "deny reject dismiss dispute refute contradict rebut disavow".split()  # noqa: SIM905
)
"""Cue verbs that deny what they report."""

DISMISSAL = re.compile(
    r"\b(?:rubbish|nonsense|untrue|false|baseless|groundless|propaganda|fabricat\w*|"
    r"fake|lies?|lying|not true|not possible|no truth|no basis)\b",
    re.I,
)
"""Words that call a claim false: "It's rubbish", "pure propaganda", "That's not possible".
Not "impossible": in news quotes it mostly calls a task hard ("virtually impossible for
anyone to use a gun"); on dev100 it made eight statements in five stories denials."""


NEGATION = re.compile(rf"\b(?:{'|'.join(sorted(NEGATORS))})\b|n[’']t\b", re.I)
"""A negation anywhere in a text, where no parse says what it negates."""

PRONOUNS = frozenset({"he", "she", "him", "her"})
"""Pronouns that stand for one person named before."""

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
"""The gender a third-person pronoun shows."""

FEMALE_WORDS = frozenset("""
    mrs ms miss madam lady woman girl wife widow mother mom mum daughter sister aunt niece
    grandmother granddaughter girlfriend fiancee fiancée bride actress waitress queen princess
    duchess countess empress heiress chairwoman spokeswoman congresswoman businesswoman
    policewoman stepmother stepdaughter sportswoman councilwoman dame
""".split())  # noqa: SIM905 (a word list)
"""Words that say a person is a woman: titles and nouns of family and role ("his wife",
"Mrs.", "spokeswoman"). Lower case, without the title's full stop."""

MALE_WORDS = frozenset("""
    mr sir lord man boy husband widower father dad son brother uncle nephew grandfather
    grandson boyfriend fiance groom king prince duke count emperor chairman spokesman
    congressman businessman policeman stepfather stepson sportsman councilman
""".split())  # noqa: SIM905 (a word list)
"""Words that say a person is a man, as ``FEMALE_WORDS``."""

PERSON_NOUNS = frozenset("""
    spokesman spokeswoman spokesperson secretary president minister official officer director
    chief head leader member mayor governor senator congressman congresswoman representative
    lawmaker legislator judge justice lawyer attorney prosecutor doctor physician nurse
    professor teacher student scientist researcher economist analyst expert adviser advisor
    consultant strategist aide staffer assistant deputy commissioner chairman chairwoman chair
    ambassador diplomat envoy general colonel major captain lieutenant sergeant admiral
    commander soldier veteran police policeman policewoman detective sheriff investigator
    witness victim survivor resident neighbor neighbour citizen voter supporter critic
    opponent activist organizer organiser campaigner protester candidate nominee politician
    candidate founder owner ceo executive manager employee worker partner chancellor premier
    king queen prince princess pope bishop priest pastor rabbi imam reverend monk nun
    father mother son daughter brother sister husband wife widow widower parent child uncle
    aunt grandmother grandfather cousin friend girlfriend boyfriend fiance fiancee colleague
    woman man girl boy person people journalist reporter editor writer author columnist
    correspondent anchor host presenter producer director actor actress singer musician artist
    player coach athlete farmer miner fisherman driver pilot engineer architect designer
    banker investor entrepreneur businessman businesswoman historian biographer
    official spokesperson negotiator mediator inspector auditor regulator treasurer
    administrator superintendent principal dean provost psychologist psychiatrist surgeon
    dentist pharmacist paramedic firefighter ranger guard officer agent trooper marshal
    mp mep councillor councilor alderman delegate senator governor-elect president-elect
    fan user customer patient client tenant landlord mom dad relative sibling grandson
    granddaughter nephew niece teen teenager youth adult spouse partner resident president
    student agent photographer donor mentor speaker buyer seller trader lender publisher
    broadcaster blogger commentator moderator interviewer interpreter translator observer
    monitor bystander passenger stranger shopper homeowner builder developer programmer hacker
    whistleblower dealer smuggler gunman attacker shooter suspect defendant plaintiff prisoner
    inmate detainee hostage refugee migrant immigrant employer policymaker filmmaker dancer
    rapper comedian novelist poet lecturer trainer caretaker volunteer leader founder manager
    writer worker player farmer driver teacher researcher officer organizer supporter voter
    designer producer commander director editor governor inspector prosecutor professor
    survivor author doctor member reporter owner sponsor chef cook baker waiter waitress
    minister pundit critic star celebrity spokesmodel insider source official historian
    politician physician librarian comedian musician technician guardian civilian pedestrian
    veterinarian custodian statistician academician magician electrician mathematician
""".split())  # noqa: SIM905 (a word list)
"""Nouns that name a person by what they are or do: a role is one of these ("a spokesman",
"the mayor of Marrowfield"), and a speaker described by one can be "he" or "she". Words
ending in a person suffix (-ist, -man, -woman, -person, -eer) count too (``is_person_noun``):
"-er", "-or" and "-ian" do not ("computer", "border", "Russian")."""

_PERSON_SUFFIX = re.compile(r"[a-z]{3}(?:ist|man|woman|person|eer)$")


BODY_NOUNS = frozenset(
    """government administration ministry department agency office bureau police army military
    navy force forces company firm corporation business bank court campaign committee
    council commission party union group team board authority authorities organization
    organisation association coalition foundation institute university school college
    hospital church family newspaper paper magazine network station website outlet channel
    study report survey poll statement lawsuit complaint filing letter memo document
    indictment release spokesperson spokespeople people public crowd regime embassy
    parliament congress senate house cabinet white palace kremlin pentagon fbi cia
    """.split()  # noqa: SIM905 (a word list)
)
"""Heads of a description that can report words: a body, a group, or a document that states
them ("the ministry said", "a statement said", "the study found")."""


_NOT_A_NAME = re.compile(
    r"^(?:Ph\.?\s?D|M\.?\s?D|Jr|Sr|Esq|MBA|M\.?A|B\.?A|J\.?D|RN|CEO)\.?$", re.I)


def is_name(text: str) -> bool:
    """Whether the entity recogniser's PERSON is a name: a word of two letters or more,
    not a degree or a suffix ("Ph.D.", "Jr.")."""
    words = [w for w in text.split() if not _NOT_A_NAME.match(w.strip(",."))]
    return len(text) > 2 and any(sum(c.isalpha() for c in w) >= 2 for w in words)


def can_speak(head: str) -> bool:
    """Whether a description with this head noun can be the speaker of a statement: a person
    or a body, not a thing ("Current upheaval", "the cover of his books", "two civil
    lawsuits" are narrated, not speakers)."""
    w = head.casefold().strip(".,’'")
    return is_person_noun(w) or w in BODY_NOUNS or w.rstrip("s") in BODY_NOUNS


def is_person_noun(word: str) -> bool:
    """Whether a noun names a person ("spokeswoman", "historian", "mayor"); plurals too."""
    w = word.casefold().strip(".,’'")
    if w in PERSON_NOUNS:
        return True
    if w.endswith("s") and (w[:-1] in PERSON_NOUNS or w[:-2] in PERSON_NOUNS):
        return True
    if w.endswith("men") and (w[:-3] + "man") in PERSON_NOUNS:
        return True
    return len(w) > 5 and _PERSON_SUFFIX.search(w.rstrip("s")) is not None


def gender_of(words: list[str]) -> str | None:
    """"f" or "m" when one of the words says it (a title, a family or role noun), else None."""
    found = set()
    for word in words:
        w = word.casefold().strip(".,’'")
        if w in FEMALE_WORDS:
            found.add("f")
        elif w in MALE_WORDS:
            found.add("m")
    return found.pop() if len(found) == 1 else None

SPEECH_NOUNS = frozenset({
    "statement", "email", "e-mail", "interview", "op-ed", "letter", "post", "tweet", "release",
    "remark", "comment", "briefing", "message", "note", "report",
})
"""Speech-act nouns: "issued a statement denying ..." reports the statement's maker."""

TITLE = re.compile(
    r"^(?:Mr|Mrs|Ms|Mx|Dr|Maj|Col|Gen|Lt|Sgt|Capt|Adm|Cmdr|Sen|Rep|Gov|Prof|Det|Insp|Supt|Cpl|Pvt|"
    r"Rev)\.?$"
)
"""A courtesy or rank title before a name, dropped from the name."""

_IRREGULAR = {
    "say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "think": ("thought",),
    "know": ("knew", "known"), "find": ("found",), "feel": ("felt",), "show": ("shown",),
    "understand": ("understood",), "quip": ("quipped", "quipping"), "forecast": ("forecast",),
}


def _forms(lemma: str) -> set[str]:
    """Word forms of a cue lemma; over-generating is harmless (the parse decides)."""
    forms = {lemma, lemma + "s", lemma + "d", lemma + "ed", lemma + "ing", lemma + "es"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(_IRREGULAR.get(lemma, ()))
    return forms


_LEMMA_OF = {form: lemma for lemma in sorted(CUE_LEMMAS) for form in _forms(lemma)}

CUE_FORMS = frozenset(_LEMMA_OF) | {"according"}
"""Word forms of the cue verbs, lower case; "according" stands for "according to". A set
lookup per word is ten times faster than one regex alternation of four hundred forms."""


def cue_lemma_of(word: str) -> str:
    """A cue verb's lemma from its lower-cased form ("told" -> "tell"); other words unchanged."""
    return _LEMMA_OF.get(word, word)


def strip_title(words: list[str]) -> list[str]:
    """The words of a name without the titles before it and a possessive "'s" after it."""
    while words and TITLE.match(words[0]):
        words = words[1:]
    if words and words[-1] in ("’s", "'s"):
        words = words[:-1]
    return words


def speaker_key(speaker: str) -> str:
    """A key under which two mentions of one speaker meet: a surname, or a description's head.

    "Sean Spicer" -> "spicer"; "the Russian Ministry of Defense" -> "ministry";
    "U.S. officials" -> "official".
    """
    words = re.sub(r"\s+(?:of|for|at|in)\s.*$", "", speaker.strip()).split()
    words = [w for w in words if w not in ("’s", "'s")]
    if not words:
        return speaker.casefold()
    last = words[-1].casefold().strip(".,’'")
    last = re.sub(r"[’']s$", "", last)
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return last
