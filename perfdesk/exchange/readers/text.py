"""Plain text as officers copy it: rows and paragraphs (see ``text_rows``)."""

from __future__ import annotations

from perfdesk.exchange.text_rows import Item, parse_items


def text_items(text: str) -> list[Item]:
    return parse_items(text)
