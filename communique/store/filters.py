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
        clauses.append(f"{column} IS NOT NULL AND substr({column}, 1, ?) <= ?")
        params += [len(until[:10]), until[:10]]
    return clauses, params
