"""Fusion inside the store, the timeline over fused events, and exports; no NLP (hand-built events)."""

import json

import duckdb

from communique.records import Actor, Article, Event, Evidence, Location
from communique.store import Store, TimelineFilter
from communique.store.export import export


def _talks(aid: str, date: str, *, people: str = "Kim Hong-kyun", place: str = "Seoul", status: str = "occurred",
           text: str | None = None) -> tuple[Article, list[Event]]:
    text = text or f"{people} of South Korea held talks with China's Sun Weidong in {place} ({aid}). They talked for four hours."
    event = Event(
        article_id=aid, event_type="CONSULT", mode=None, quad="verbal_cooperation", intensity=2.5,
        actors=[Actor(people, "KOR", people, "person", "GOV", "first vice foreign minister", "person:" + people.lower().replace(" ", "-"))],
        recipients=[Actor("Sun Weidong", "CHN", "Sun Weidong", "person", "GOV", "vice foreign minister", "person:sun-weidong")],
        date=date, status=status, confidence=0.8, evidence=Evidence(text.split(". ")[0] + ".", 0, len(text.split(". ")[0]) + 1),
        cameo="040", trigger="held talks", location=Location(place, "KOR"),
    )
    return Article(aid, text, "Talks", "2024-06-19", outlet=f"Outlet {aid}"), [event]


def _fill(store: Store, items) -> None:
    for art, events in items:
        store.add(art, events)


ITEMS = [
    _talks("a1", "2024-06-18"),
    _talks("a2", "2024-06-18", people="Kim Hong-kyun", place="Busan"),
    _talks("a3", "2024-06-18", status="planned"),
    _talks("a4", "2024-06-24"),  # the same pair a week later: another meeting
]


def _partition(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT event_id, fused_id FROM fused_members").fetchall())


def test_reports_of_one_meeting_fuse_and_a_later_meeting_stays_apart(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        _fill(store, ITEMS)
        store.fuse()
        rows = store.timeline()
        assert [(r["date"], r["num_sources"], r["status"]) for r in rows] == [("2024-06-18", 3, "occurred"),
                                                                              ("2024-06-24", 1, "occurred")]
        detail = store.fused_event(rows[0]["fused_id"])
        assert detail is not None and len(detail["reports"]) == 3
        fields = {d["field"] for d in detail["discrepancies"]}
        assert {"place", "status"} <= fields


def test_incremental_fusion_in_any_order_equals_a_rebuild(tmp_path):
    with Store(tmp_path / "a.duckdb") as one:
        for item in reversed(ITEMS):
            _fill(one, [item])
            one.fuse()
        incremental = _partition(one)
        one.fuse()  # nothing pending: nothing changes
        assert _partition(one) == incremental
        one.fuse(rebuild=True)
        assert _partition(one) == incremental
    with Store(tmp_path / "b.duckdb") as other:
        _fill(other, ITEMS)
        other.fuse()
        assert _partition(other) == incremental


def test_timeline_filters_and_pages(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        _fill(store, ITEMS)
        store.fuse()
        assert len(store.timeline(TimelineFilter(country="chn"))) == 2
        assert len(store.timeline(TimelineFilter(country="JPN"))) == 0
        assert len(store.timeline(TimelineFilter(actor="Sun Weidong"))) == 2
        assert len(store.timeline(TimelineFilter(since="2024-06-20"))) == 1
        assert len(store.timeline(TimelineFilter(until="2024-06"))) == 2
        assert len(store.timeline(TimelineFilter(min_sources=2))) == 1
        assert [r["date"] for r in store.timeline(TimelineFilter(limit=1, offset=1))] == ["2024-06-24"]
        assert store.timeline_count(TimelineFilter(country="' OR 1=1 --")) == 0
        rows = store.view_events()
        assert len(rows) == 2 and rows[0].actors and rows[0].recipients


def test_exports_in_every_format(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        _fill(store, ITEMS)
        store.fuse()
        for kind in ("events", "fused", "actors", "articles"):
            for fmt in ("csv", "parquet"):
                out = tmp_path / f"{kind}.{fmt}"
                n = export(store.con, kind, fmt, out)
                reader = "read_csv_auto" if fmt == "csv" else "read_parquet"
                [(count,)] = duckdb.connect().execute(f"SELECT count(*) FROM {reader}('{out}')").fetchall()
                assert count == n, (kind, fmt)
        plover = [json.loads(line) for line in export(store.con, "events", "plover", None)]  # type: ignore[union-attr]
        assert len(plover) == 4 and plover[0]["event"] == ["CONSULT"] and plover[0]["actor"][0]["code"] == "KOR"
        assert all(p["link"] for p in plover)  # every event carries its fused event


def test_the_event_page_and_the_disagreement_list_find_the_same_disagreements(tmp_path):
    # the event page builds its reports from the rows it reads anyway; the list reads them again: same answer
    with Store(tmp_path / "s.duckdb") as store:
        _fill(store, ITEMS)
        store.fuse()
        listed = {d["fused_id"]: d["discrepancies"] for d in store.discrepancies()}
        assert listed
        for fused_id, found in listed.items():
            detail = store.fused_event(fused_id)
            assert detail is not None and detail["discrepancies"] == found
