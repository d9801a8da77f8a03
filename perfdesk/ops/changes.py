"""What an operation changed: the description views listen to (after Anki's OpChanges).

An operation returns a ``Changes``. It says which cells changed (as places), which
evaluations need rescoring, and every structural edit in the order it happened:
indicator-tree inserts, removals and moves, rows inserted into or removed from an
evaluation's tables (budget project lines, 晋中 target rows), and edits of the list
of evaluations. A Qt model mirrors the structure it shows and replays these edits
to emit exactly the row signals needed; it never changes the document itself.
Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perfdesk.model.document import Indicator
from perfdesk.model.places import Place


@dataclass(frozen=True)
class TreeEdit:
    """One structural edit of an evaluation's indicator tree.

    ``kind`` is ``insert``, ``remove`` or ``move``. ``parent`` and ``index`` say where
    the node is after the edit (insert, move) or was before it (remove); a move also
    gives where it came from. An insert carries the inserted subtree's shape at that
    moment — (uid, child uids) in pre-order — and its nodes, because later edits of
    the same batch may already have changed the live objects.
    """

    kind: str
    evaluation: int
    node: int
    parent: int | None
    index: int
    old_parent: int | None = None
    old_index: int = -1
    shape: tuple[tuple[int, tuple[int, ...]], ...] = ()
    nodes: tuple[Indicator, ...] = ()


def insert_edit(evaluation: int, node: Indicator, parent: Indicator | None, index: int) -> TreeEdit:
    shape = tuple((n.uid, tuple(c.uid for c in n.children)) for n in node.walk())
    return TreeEdit("insert", evaluation, node.uid, None if parent is None else parent.uid, index,
                    shape=shape, nodes=tuple(node.walk()))


@dataclass(frozen=True)
class RowEdit:
    """A row inserted into or removed from one of an evaluation's flat tables."""

    kind: str        # "insert" | "remove"
    evaluation: int
    table: str       # "budget.lines" | "target_rows"
    index: int


@dataclass(frozen=True)
class ListEdit:
    """An edit of the list of evaluations (row 0 is the unit form, then the projects).

    ``insert``/``remove``: the evaluation at ``row``; ``move``: from ``old_row`` to
    ``row``; ``replace``: the evaluation at ``row`` (uid ``old``) replaced by another.
    """

    kind: str
    row: int
    evaluation: object  # the Evaluation inserted / removed / moved / put in place
    old_row: int = -1
    old: object = None  # the Evaluation replaced


@dataclass
class Changes:
    places: list[Place] = field(default_factory=list)
    evaluations: set[int] = field(default_factory=set)   # uids to rescore
    tree: list[TreeEdit] = field(default_factory=list)
    rows: list[RowEdit] = field(default_factory=list)
    lists: list[ListEdit] = field(default_factory=list)
    profile: set[str] = field(default_factory=set)       # 单位信息 fields

    @property
    def empty(self) -> bool:
        return not (self.places or self.evaluations or self.tree or self.rows or self.lists
                    or self.profile)

    def extend(self, other: "Changes") -> "Changes":
        self.places.extend(other.places)
        self.evaluations |= other.evaluations
        self.tree.extend(other.tree)
        self.rows.extend(other.rows)
        self.lists.extend(other.lists)
        self.profile |= other.profile
        return self

    @property
    def structural(self) -> bool:
        return bool(self.tree or self.rows or self.lists)
