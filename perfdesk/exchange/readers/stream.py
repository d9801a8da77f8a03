"""Cells as a stream (placeholder)."""
from __future__ import annotations

from perfdesk.exchange.readers.text import pipe_row_items


def pipe_stream_items(lines):
    return pipe_row_items(lines)


def plain_stream_items(lines):
    return None
