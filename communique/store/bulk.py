"""Many rows in one statement: DuckDB's executemany runs one INSERT per row, about 100 times slower."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[object]], types: Sequence[str],
                *, or_ignore: bool = False) -> None:
    """Insert ``rows`` (each with one value per column of ``types``) by unnesting one list parameter per column."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    verb = "INSERT OR IGNORE INTO" if or_ignore else "INSERT INTO"
    con.execute(f"{verb} {table} SELECT {select}", columns)  # noqa: S608 - table and types are fixed by callers
