"""Timeline pages read through date windows equal a plain sort of the whole table, for every filter and cursor;
fused events stay in date order on disk after incremental fusion."""

import importlib
import random

import pytest

from communique.store import Store, TimelineFilter
from communique.store.fusion import keep_in_date_order
from communique.store.timeline import _FUSED_COLUMNS, _FUSED_NAMES, _row, _where, cursor_of

# the module, not the function the package exports under the same name
timeline_module = importlib.import_module("communique.store.timeline")

STATES = ["KOR", "PRK", "CHN", "RUS", "JPN"]


def _fill(store: Store, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        r = rng.random()
        date = None if r < 0.05 else (f"20{rng.randrange(15, 25)}-{rng.randrange(1, 13):02d}" if r < 0.15 else
                                      f"20{rng.randrange(15, 25)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}")
        a, b = rng.sample(STATES, 2)
        rows.append((f"fe_{i:016x}", rng.choice(["CONSULT", "ACCUSE"]), date, [a], [b]))
    store.con.executemany(
        "INSERT INTO fused_events VALUES (?, ?, NULL, 'verbal cooperation', 1.0, ?, 'occurred', NULL, NULL, ?, ?, "
        "0.9, 1, 1, 1, 'x', NULL)", rows)


def _plain(store: Store, f: TimelineFilter) -> list[str]:
    where, params = _where(f)
    order = "date IS NULL, date DESC, fused_id" if f.newest_first else "date IS NULL, date, fused_id"
    rows = store.con.execute(f"SELECT {_FUSED_COLUMNS} FROM fused_events WHERE {where} ORDER BY {order} LIMIT ?",
                             [*params, f.limit]).fetchall()
    return [_row(_FUSED_NAMES, r)["fused_id"] for r in rows]


@pytest.mark.parametrize("newest_first", [False, True])
def test_windowed_pages_equal_a_plain_sort(tmp_path, monkeypatch, newest_first):
    monkeypatch.setattr(timeline_module, "WINDOW_DAYS", (3, 40, 400))  # small windows: several probes per page
    rng = random.Random(3)
    with Store(tmp_path / "t.duckdb") as store:
        _fill(store, 1500)
        for _ in range(120):
            f = TimelineFilter(country=rng.choice([None, *STATES]), event_type=rng.choice([None, "CONSULT"]),
                               since=rng.choice([None, "2019", "2020-03", "2021-05-04"]),
                               until=rng.choice([None, "2022", "2023-06"]), limit=rng.choice([1, 7, 50]),
                               newest_first=newest_first)
            pages = 0
            while pages < 6:  # walk a few pages by cursor, as the "later" links do
                got = [r["fused_id"] for r in store.timeline(f)]
                assert got == _plain(store, f), f
                if len(got) < (f.limit or 0):
                    break
                last = store.timeline(f)[-1]
                f = TimelineFilter(**{**f.__dict__, "after": cursor_of(last)})
                pages += 1


def test_incremental_appends_are_put_back_in_date_order(tmp_path, monkeypatch):
    from communique.store import fusion

    monkeypatch.setattr(fusion, "RESORT_FLOOR", 10)
    with Store(tmp_path / "t.duckdb") as store:
        _fill(store, 200)
        assert keep_in_date_order(store.con, force=True)
        order = "date IS NULL, date, fused_id"
        in_order = store.con.execute(f"SELECT fused_id FROM fused_events ORDER BY {order}").fetchall()
        assert store.con.execute("SELECT fused_id FROM fused_events ORDER BY rowid").fetchall() == in_order
        assert not keep_in_date_order(store.con)  # nothing appended since
        store.con.execute("INSERT INTO fused_events SELECT * REPLACE ('fe_x' || fused_id AS fused_id, '2015-01-01' AS date) "
                          "FROM fused_events LIMIT 30")
        assert keep_in_date_order(store.con)  # 30 appended rows pass the floor of 10
        physical = store.con.execute("SELECT fused_id FROM fused_events ORDER BY rowid").fetchall()
        assert physical == store.con.execute(f"SELECT fused_id FROM fused_events ORDER BY {order}").fetchall()
