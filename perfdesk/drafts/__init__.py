"""Narrative drafts written from the document's figures (Qt-free).

``draft(doc, ev, key)`` gives the generated text of one narrative section as a
``Draft``: paragraphs of sentences, each sentence carrying the ``Figure``s it
states (every amount, rate, score, grade, count and quoted piece of the
officer's text, with the exact value from the model or ``perfdesk.scoring``).
A draft is only a proposal: nothing generated is printed or exported unless
the officer accepts it, and then it is the officer's text like any other
(``session.set_evaluation_field(ev, "narrative.<key>", draft.text)``).

Where the document lacks a figure the draft says so in a bracketed placeholder
(“（全年预算数和全年执行数尚未填写……）”) instead of writing a number, and a
sentence claiming every indicator met its target is written only when every
score says so.
"""

from __future__ import annotations

from perfdesk.drafts import explanation as _explanation
from perfdesk.drafts import project as _project
from perfdesk.drafts import unit as _unit
from perfdesk.drafts.facts import Facts
from perfdesk.drafts.outline import DOCUMENTS, NarrativeDocument, blocks, section_uses, split_title
from perfdesk.drafts.text import Draft, Figure, Sentence
from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE, Document, Evaluation, EvaluationKind

_DRAFTERS = {
    EvaluationKind.UNIT: {**_unit.SECTIONS, "explanation": _explanation.explanation},
    EvaluationKind.PROJECT: dict(_project.SECTIONS),
}


def sections(kind: EvaluationKind) -> dict[str, str]:
    """Narrative key -> Chinese title for an evaluation kind."""
    return dict(UNIT_NARRATIVE if kind is EvaluationKind.UNIT else PROJECT_NARRATIVE)


def draftable(kind: EvaluationKind, key: str) -> bool:
    """Whether a draft can be written for a section (an imported 项目绩效评价报告 has none)."""
    return key in _DRAFTERS[kind]


def draft(doc: Document, ev: Evaluation, key: str, facts: Facts | None = None) -> Draft | None:
    """The draft of one section, or None when the section is not one drafts are written for."""
    writer = _DRAFTERS[ev.kind].get(key)
    if writer is None:
        return None
    f = facts if facts is not None and facts.ev is ev else Facts(doc, ev)
    d = Draft(key, sections(ev.kind).get(key, key))
    writer(f, d)
    return d


def drafts(doc: Document, ev: Evaluation) -> dict[str, Draft]:
    """Drafts of every draftable section of an evaluation (scores computed once)."""
    f = Facts(doc, ev)
    out = {}
    for key in sections(ev.kind):
        d = draft(doc, ev, key, f)
        if d is not None:
            out[key] = d
    return out


__all__ = [
    "DOCUMENTS", "Draft", "Facts", "Figure", "NarrativeDocument", "Sentence", "blocks", "draft", "draftable",
    "drafts", "section_uses", "sections", "split_title",
]
