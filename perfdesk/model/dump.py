"""A canonical dump of a whole document: every field, in order, as plain Python values.

Two documents have equal dumps exactly when they hold the same content in the same
order (uids and parent links aside). Tests compare dumps before an operation, after
it, after its undo and after its redo.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from enum import Enum
from typing import Any

_SKIP = {"parent", "uid"}


def dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in _SKIP}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return ("Decimal", str(value))  # "3" and "3.0" differ here: the document keeps what was typed
    if isinstance(value, dict):
        return [("dict",)] + [(dump(k), dump(v)) for k, v in value.items()]  # order matters
    if isinstance(value, (list, tuple)):
        return [dump(v) for v in value]
    return value


def uids(doc) -> list:
    """The uids of every evaluation and indicator, in document order (identity kept by undo)."""
    return [(ev.uid, [node.uid for node in ev.walk()]) for ev in doc.evaluations()]
