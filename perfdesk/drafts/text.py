"""Drafts as sentences that know their figures.

A ``Draft`` is a list of paragraphs, a paragraph a list of ``Sentence``s, and a
sentence is built from literal text and ``Figure``s: every number, amount,
rate, grade or quoted piece of the officer's text a sentence states is a
``Figure`` with a key saying what it is (``"total"``, ``"budget.total.spent"``,
``"indicator.17.score"``), the evaluation it belongs to and the exact value it
shows. Tests (and the window, which marks them) can therefore check that every
figure in a draft is the figure the forms print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

# What a figure is, for display and for checking it against the document.
MONEY, RATE, SCORE, COUNT, GRADE, YEAR, RULE, TEXT = (
    "money", "rate", "score", "count", "grade", "year", "rule", "text")


@dataclass(frozen=True)
class Figure:
    """One stated fact: ``text`` as written in the sentence, ``value`` exact."""

    key: str
    text: str
    value: Union[Decimal, int, str, None]
    kind: str
    evaluation: int | None = None  # uid of the evaluation the figure belongs to


@dataclass(frozen=True)
class Sentence:
    text: str
    figures: tuple[Figure, ...] = ()
    placeholder: bool = False  # says what is missing instead of stating figures
    heading: bool = False      # a sub-heading line such as “（一）产出指标完成情况”


Part = Union[str, Figure]


def say(*parts: Part) -> Sentence:
    """A sentence from literal text and figures, in order."""
    text, figures = [], []
    for part in parts:
        if isinstance(part, Figure):
            text.append(part.text)
            figures.append(part)
        elif part:
            text.append(part)
    return Sentence("".join(text), tuple(figures))


def missing(text: str) -> Sentence:
    """An honest placeholder: what the officer still has to write or fill in."""
    return Sentence(f"（{text}）", placeholder=True)


def heading(*parts: Part) -> Sentence:
    s = say(*parts)
    return Sentence(s.text, s.figures, heading=True)


@dataclass
class Draft:
    """The generated text of one narrative section."""

    key: str
    title: str
    paragraphs: list[list[Sentence]] = field(default_factory=list)

    def add(self, *sentences: Sentence | None) -> None:
        """Append one paragraph made of the given sentences (``None`` skipped)."""
        para = [s for s in sentences if s is not None and s.text]
        if para:
            self.paragraphs.append(para)

    def extend_last(self, *sentences: Sentence | None) -> None:
        para = [s for s in sentences if s is not None and s.text]
        if not para:
            return
        if self.paragraphs and not self.paragraphs[-1][-1].heading:
            self.paragraphs[-1].extend(para)
        else:
            self.paragraphs.append(para)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for para in self.paragraphs for s in para]

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sentences for f in s.figures]

    @property
    def text(self) -> str:
        return "\n".join("".join(s.text for s in para) for para in self.paragraphs)

    def accept_text(self) -> str:
        """The text 采用 gives the officer: the draft without its bracketed placeholders and notes
        (they stay visible beside it), and without a sub-heading that has nothing under it."""
        paras: list[tuple[bool, str]] = []
        for para in self.paragraphs:
            if para and para[0].heading and len(para) == 1:
                paras.append((True, para[0].text))
                continue
            text = "".join(s.text for s in para if not s.placeholder)
            if text:
                paras.append((False, text))
        kept = [text for i, (is_heading, text) in enumerate(paras)
                if not is_heading or (i + 1 < len(paras) and not paras[i + 1][0])]
        return "\n".join(kept)

    @property
    def is_placeholder(self) -> bool:
        """Nothing but placeholders: no figure to state yet."""
        return all(s.placeholder or s.heading for s in self.sentences)


__all__ = ["COUNT", "Draft", "Figure", "GRADE", "MONEY", "RATE", "RULE", "SCORE", "Sentence", "TEXT", "YEAR",
           "heading", "missing", "say"]
