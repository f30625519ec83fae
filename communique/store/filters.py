"""SQL pieces shared by the event and timeline queries; values always go in as bound parameters."""

from __future__ import annotations


def date_window(column: str, since: str | None, until: str | None) -> tuple[list[str], list[object]]:
    """Clauses keeping dates in [since, until]; ``until`` counts at its own precision: "2024-06" takes all of June.
    Undated rows are left out whenever a bound is given."""
    clauses: list[str] = []
    params: list[object] = []
    if since:
        clauses.append(f"{column} IS NOT NULL AND {column} >= ?")
        params.append(since[:10])
    if until:
        # "on or before 2024-06" is "before 2024-07": a plain comparison DuckDB can prune blocks with
        clauses.append(f"{column} IS NOT NULL AND {column} < ?")
        params.append(_just_after(until[:10]))
    return clauses, params


def _just_after(bound: str) -> str:
    """The smallest text after every date within ``bound`` at its precision: 2024 -> 2025, 2024-06 -> 2024-07,
    2024-12 -> 2024-13, 2024-06-19 -> 2024-06-20 (compared as text, so no carry is needed)."""
    head, _, last = bound.rpartition("-")
    if not last.isdigit():
        return bound + "\uffff"
    bumped = str(int(last) + 1).zfill(len(last))
    return f"{head}-{bumped}" if head else bumped


# Up to this many values, a membership test is written as ``col IN (?, ?, ...)``, which DuckDB answers from the
# column's index (~0.6 ms for a page's few ids on a million events); a list parameter (``= ANY(?)``) is a hash join
# over a scan of the table instead (~1.5 ms, and growing with it). Past it, the join is the better plan.
IN_LIST_MAX = 64


def one_of(column: str, values: list[str]) -> tuple[str, list[object]]:
    """A clause keeping rows whose ``column`` is one of ``values`` (text), and its parameters."""
    if not values:
        return "FALSE", []
    if len(values) <= IN_LIST_MAX:
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)
    return f"{column} = ANY(?::VARCHAR[])", [list(values)]
