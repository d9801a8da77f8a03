"""What the families' recognisers look at: the names found in a table (synonym roles)."""

from __future__ import annotations

from dataclasses import dataclass, field

from perfdesk.exchange import vocabulary as vocab
from perfdesk.exchange.families.generic import fund_header, guess_kind, indicator_header


@dataclass
class Signature:
    columns: set[str] = field(default_factory=set)     # indicator-table roles named
    funds: set[str] = field(default_factory=set)       # fund-block roles named
    keys: set[str] = field(default_factory=set)        # every cell's key (short cells only)
    kind: str | None = None                            # "project" | "unit" | None

    def has(self, *words: str) -> bool:
        return any(any(w in k for k in self.keys) for w in words)


_LAST: list = [None, None]   # (rows, signature): the recognisers of all families ask for the same table


def signature(rows: list[list[str]]) -> Signature:
    if _LAST[0] is rows:
        return _LAST[1]
    sig = _signature(rows)
    _LAST[0], _LAST[1] = rows, sig
    return sig


def _signature(rows: list[list[str]]) -> Signature:
    sig = Signature()
    for cells in rows[:400]:
        cells = cells[:60]
        roles = indicator_header(cells)
        sig.columns.update(roles.values())
        if roles:
            for cell in cells:
                role = vocab.column_role(cell)
                if role:
                    sig.columns.add(role)
        sig.funds.update(fund_header(cells).values())
        for cell in cells:
            k = vocab.key(cell)
            if k and len(k) <= 40:
                sig.keys.add(k)
    kind = guess_kind(rows)
    sig.kind = None if kind is None else kind.value
    return sig
