"""JSON: the whole brief, versioned. The schema is documented in docs/schema.md."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from newsbrief.model import Brief, Stance, Support
from newsbrief.render.common import changed_figures, copy_of, update_heading

SCHEMA = "newsbrief.brief/1"


def to_dict(brief: Brief) -> dict[str, Any]:
    """The brief as plain JSON-ready data, following schema ``newsbrief.brief/1``."""
    copies = copy_of(brief)
    return {
        "schema": SCHEMA,
        "story": brief.story,
        "title": brief.title,
        "focus": brief.focus,
        "update": _update(brief),
        "words_requested": brief.words,
        "words": brief.word_count,
        "distinct_sources": brief.distinct_sources,
        "source_groups": brief.source_groups,
        "summary": [
            {
                "text": s.sentence.text,
                "shown": s.text,
                "score": s.score,
                "article_id": s.sentence.article_id,
                "sentence_id": s.sentence.id,
                "start": s.sentence.start,
                "end": s.sentence.end,
                "citations": [_support(c) for c in s.support],
                "disagreeing": [_support(c) for c in s.disagreeing],
            }
            for s in brief.summary
        ],
        "articles": [
            {
                "id": a.id,
                "source": a.source,
                "origin": a.article.origin,
                "title": a.title,
                "url": a.article.url,
                "author": a.article.author,
                "published": a.article.published.isoformat() if a.article.published else None,
                "copy_of": copies[a.id][0] if a.id in copies else None,
                "text": a.text,
                "paragraphs": [
                    {"start": p.start, "end": p.end, "original_start": p.original_start,
                     "original_end": p.original_end}
                    for p in a.paragraphs
                ],
                "removed": [
                    {"start": r.start, "end": r.end, "text": r.text, "reason": r.reason}
                    for r in a.removed
                ],
            }
            for a in brief.articles
        ],
        "copies": [
            {
                "copy_id": c.copy_id,
                "copy_start": c.copy_start,
                "copy_end": c.copy_end,
                "original_id": c.original_id,
                "original_start": c.original_start,
                "original_end": c.original_end,
                "similarity": c.similarity,
            }
            for c in brief.copies
        ],
        "syndication": [
            {"copy_id": s.copy_id, "original_id": s.original_id, "share": s.share}
            for s in brief.syndication
        ],
        "problems": [
            {"origin": p.origin, "message": p.message, "fatal": p.fatal} for p in brief.problems
        ],
        **_sections(brief),
    }


def _update(brief: Brief) -> dict[str, Any] | None:
    """What an update brief is new against (``Brief.update``); None for a whole brief."""
    u = brief.update
    if u is None:
        return None
    changed = changed_figures(brief)
    return {
        "since": u.since.isoformat() if u.since else None,
        "heading": update_heading(brief),
        "new_articles": list(u.new_articles),
        "earlier_articles": list(u.earlier_articles),
        "new_sources": list(u.new_sources),
        "changed_figures": [i for i, c in enumerate(brief.conflicts) if c in changed],
    }


def _support(c: Support) -> dict[str, Any]:
    return {
        "article_id": c.article_id,
        "sentence_id": c.sentence_id,
        "start": c.start,
        "end": c.end,
        "similarity": c.similarity,
        "agreement": c.agreement,
    }


def _stance(st: Stance) -> dict[str, Any]:
    return {"speaker": st.speaker, "body": st.body or None, "article_ids": list(st.article_ids),
            "statements": [asdict(s) for s in st.statements]}


def _sections(brief: Brief) -> dict[str, Any]:
    """Quotes, disputes, what each source adds and the timeline; offsets into cleaned text."""
    return {
        "quotes": [
            {
                "speaker": q.speaker,
                "role": q.role,
                "cue": q.cue,
                "text": q.text,
                "kind": q.kind,
                "article_ids": list(q.article_ids),
                "paraphrased_in": list(q.paraphrased_in),
                "reports": [asdict(r) for r in q.reports],
            }
            for q in brief.quotes
        ],
        "disputes": [
            {
                "claim": d.claim,
                "similarity": d.similarity,
                "claimed_by": [_stance(st) for st in d.claimed_by],
                "denied_by": [_stance(st) for st in d.denied_by],
            }
            for d in brief.disputes
        ],
        "conflicts": [
            {
                "what": c.what,
                "values": [{"value": value, "article_ids": list(ids)} for value, ids in c.values],
                "reports": [asdict(r) for r in c.reports],
            }
            for c in brief.conflicts
        ],
        "additions": [
            {
                "source_group": list(a.source_group),
                "article_id": a.sentence.article_id,
                "sentence_id": a.sentence.id,
                "start": a.sentence.start,
                "end": a.sentence.end,
                "text": a.sentence.text,
                "score": a.score,
                "closest": a.closest,
            }
            for a in brief.additions
        ],
        "timeline": [
            {
                "date": ev.date.isoformat(),
                "granularity": ev.granularity,
                "label": ev.label,
                "text": ev.text,
                "article_ids": list(ev.article_ids),
                "mentions": [asdict(m) for m in ev.mentions],
            }
            for ev in brief.timeline
        ],
    }


def to_json(briefs: list[Brief]) -> str:
    """One brief as an object, several as ``{"schema": ..., "briefs": [...]}``."""
    if len(briefs) == 1:
        return json.dumps(to_dict(briefs[0]), ensure_ascii=False, indent=2)
    return json.dumps(
        {"schema": SCHEMA, "briefs": [to_dict(b) for b in briefs]}, ensure_ascii=False, indent=2
    )
