"""Markdown: the brief as a reader sees it, each sentence followed by its citations.

Input text is never markup here: every ``<`` is escaped (``\\<``), so a title or a
sentence holding ``<script>`` stays text in any Markdown viewer that passes raw HTML
through.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsbrief.model import Attribution, Brief, FactConflict, Stance, sides
from newsbrief.render.common import (
    changed_figures,
    copied_passages,
    copy_of,
    source_numbers,
    update_heading,
    update_line,
)

MAX_QUOTES = 12
MAX_DATES = 15
EVENTS_PER_DATE = 4


def to_markdown(brief: Brief, show_removed: bool = False) -> str:
    """The brief in Markdown; with ``show_removed``, every removed span and its reason."""
    num = source_numbers(brief)
    copies = copy_of(brief)
    lines: list[str] = [f"# {brief.title or brief.story or 'Brief'}", ""]
    lines.append(
        f"*{len(brief.articles)} articles from {brief.distinct_sources} distinct sources "
        f"(a copy and its original count once) · {brief.word_count} words*"
    )
    if brief.focus:
        lines.append(f"*Focus: {_one_line(brief.focus, 300)}*")
    lines.append("")
    lines += _update(brief, num)
    if not brief.summary:
        lines.append("_No sentence could be selected: the articles hold no usable prose._")
    for s in brief.summary:
        cites = _cites(num, s.article_ids)
        notes = "".join(f" *({_figures(c, num)})*" for c in brief.conflicts_at(s.sentence.id))
        lines.append(f"{s.text} {cites}{notes}")
        lines.append("")
    lines.append("## Sources")
    lines.append("")
    for a in brief.articles:
        note = ""
        if a.id in copies:
            orig, share = copies[a.id]
            note = f" — copy of [{num[orig]}] ({share:.0%} of its text)"
        title = f" — {a.title}" if a.title else ""
        lines.append(f"{num[a.id]}. **{a.source}**{title} (`{a.article.origin}`){note}")
    passages = copied_passages(brief)
    if passages:
        lines += ["", "## Copies found", ""]
        for (copy_id, orig_id), n in sorted(passages.items()):
            lines.append(
                f"- [{num[copy_id]}] {brief.article(copy_id).source} repeats {n} passage(s) "
                f"of [{num[orig_id]}] {brief.article(orig_id).source}"
            )
    # after the source list, so that the citation numbers in them are already known
    sections = _sections(brief, num)
    if sections:
        lines += ["", *sections[:-1]] if sections[-1] == "" else ["", *sections]
    removed = [r for a in brief.articles for r in a.removed]
    lines += ["", "## Removed as boilerplate", ""]
    if show_removed:
        for a in brief.articles:
            for r in a.removed:
                lines.append(f"- [{num[a.id]}] *{r.reason}*: “{_one_line(r.text)}”")
        if not removed:
            lines.append("Nothing was removed.")
    else:
        lines.append(
            f"{len(removed)} spans removed from {len(brief.articles)} articles "
            "(`--show-removed` lists each with its reason)."
        )
    if brief.problems:
        lines += ["", "## Problems with the input", ""]
        lines += [f"- {'error' if p.fatal else 'note'}: {p}" for p in brief.problems]
    return _no_raw_html("\n".join(lines).rstrip() + "\n")


def _no_raw_html(text: str) -> str:
    """``text`` with every ``<`` escaped: no tag, comment or autolink can start (CommonMark
    shows ``\\<`` as ``<``). The template writes none of its own."""
    return text.replace("<", "\\<")


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _cites(num: dict[str, int], article_ids: Iterable[str]) -> str:
    return "".join(f"[{n}]" for n in sorted({num[a] for a in article_ids}))


def _statement(s: Attribution) -> str:
    """A statement as the article gives it: quoted words in quote marks, else with its verb."""
    if s.kind == "direct":
        return f"“{s.content}”"
    return f"{s.cue} {s.content}" if s.cue else s.content


def _statements(st: Stance, num: dict[str, int], limit: int) -> str:
    """A speaker's first ``limit`` distinct statements, each with its source."""
    unique: dict[str, Attribution] = {}
    for s in st.statements:
        unique.setdefault(s.content, s)
    return "; ".join(f"{_statement(s)} {_cites(num, [s.article_id])}"
                     for s in list(unique.values())[:limit])


def _update(brief: Brief, num: dict[str, int]) -> list[str]:
    """An update brief's heading, what it rests on, and the figures it changes."""
    heading = update_heading(brief)
    if heading is None:
        return []
    lines = [f"## {heading}", "", f"*{update_line(brief)}*", ""]
    changed = changed_figures(brief)
    if changed:
        lines += ["Changed figures:", ""]
        lines += [f"- {_figures(c, num)}" for c in changed]
        lines.append("")
    return lines


def _figures(c: FactConflict, num: dict[str, int]) -> str:
    """The note after a sentence: "figures differ (killed): at least 24 [3]; 46 [1]"."""
    values = "; ".join(f"{value} {_cites(num, ids)}" for value, ids in c.values)
    return f"{c.heading.lower()} ({c.what}): {values}"


def _sections(brief: Brief, num: dict[str, int]) -> list[str]:
    """Quotes, disputes, what each source adds, and the timeline (issue 4)."""
    lines: list[str] = []
    if brief.quotes:
        lines += ["## Quotes", ""]
        for q in brief.quotes[:MAX_QUOTES]:
            role = f" ({q.role})" if q.role else ""
            words = f"“{q.text}”" if q.kind == "direct" else q.text
            quoted = [r.article_id for r in q.reports if r.article_id not in q.paraphrased_in]
            note = f"; paraphrased in {_cites(num, q.paraphrased_in)}" if q.paraphrased_in else ""
            lines.append(f"- **{q.speaker}**{role} {q.cue or 'said'}: {words} "
                         f"{_cites(num, quoted)}{note}")
        if len(brief.quotes) > MAX_QUOTES:
            lines.append(f"- … {len(brief.quotes) - MAX_QUOTES} more in the JSON output")
        lines.append("")
    if brief.disputes or brief.conflicts:
        lines += ["## Disputes", ""]
        for c in brief.conflicts:
            lines += [f"**{c.heading}** ({c.what}): "
                      + "; ".join(f"{value} {_cites(num, ids)}" for value, ids in c.values), ""]
            lines += [f"- {r.value} {_cites(num, [r.article_id])}: “{_one_line(r.sentence)}”"
                      for r in c.reports]
            lines.append("")
        for d in brief.disputes:
            lines.append(f"**Claim** ({d.claimed_by[0].speaker}): {d.claim}")
            lines.append("")
            for label, stances in (("Claimed by", d.claimed_by), ("Denied by", d.denied_by)):
                for name, members, ids in sides(stances):
                    if len(members) == 1:
                        shown = _statements(members[0], num, 3)
                    else:  # one body, several speakers: each named before its words
                        shown = "; ".join(f"*{st.speaker}*: {_statements(st, num, 2)}"
                                          for st in members)
                    lines.append(f"- {label} **{name}** {_cites(num, ids)}: {shown}")
            lines.append("")
    if brief.additions:
        lines += ["## What each source adds", ""]
        current: tuple[str, ...] | None = None
        for a in brief.additions:
            if a.source_group != current:
                if current is not None:
                    lines.append("")
                current = a.source_group
                names = ", ".join(dict.fromkeys(brief.article(x).source for x in current))
                lines += [f"**{_cites(num, current)} {names}**", ""]
            lines.append(f"- {a.sentence.text} {_cites(num, [a.sentence.article_id])}")
        lines.append("")
    if brief.timeline:
        lines += ["## When", ""]
        dates: dict[str, list[str]] = {}
        for ev in brief.timeline:
            label = ev.label
            if label not in dates and len(dates) >= MAX_DATES:
                continue
            events = dates.setdefault(label, [])
            if len(events) < EVENTS_PER_DATE:
                inferred = all(m.basis == "story date" for m in ev.mentions)
                note = " (date from the other articles' publication date)" if inferred else ""
                events.append(f"{ev.text} {_cites(num, ev.article_ids)} "
                              f"(“{ev.mentions[0].expression}”{note})")
        for label, events in dates.items():
            lines.append(f"- **{label}**")
            lines += [f"  - {e}" for e in events]
        lines.append("")
    return lines
