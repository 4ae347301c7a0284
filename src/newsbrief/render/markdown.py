"""Markdown: the brief as a reader sees it, each sentence followed by its citations."""

from __future__ import annotations

from newsbrief.model import Brief
from newsbrief.render.common import copied_passages, copy_of, source_numbers


def to_markdown(brief: Brief, show_removed: bool = False) -> str:
    """The brief in Markdown; with ``show_removed``, every removed span and its reason."""
    num = source_numbers(brief)
    copies = copy_of(brief)
    lines: list[str] = [f"# {brief.title or brief.story or 'Brief'}", ""]
    lines.append(
        f"*{len(brief.articles)} articles from {brief.distinct_sources} distinct sources "
        f"(a copy and its original count once) · {brief.word_count} words*"
    )
    lines.append("")
    if not brief.summary:
        lines.append("_No sentence could be selected: the articles hold no usable prose._")
    for s in brief.summary:
        cites = "".join(f"[{num[a]}]" for a in s.article_ids)
        lines.append(f"{s.text} {cites}")
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
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
