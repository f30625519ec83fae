"""A story hundreds of outlets carried: bounded clustering past EXACT_LIMIT, and new reports joining stored fused
events past BIG_NEIGHBOURHOOD, give the same events as exact clustering on such a plain story."""

import random

from communique.fuse import cluster
from communique.fuse.cluster import EXACT_LIMIT, leader_split, split_group
from tests.fuse.test_fuse import _report


def _story(n: int) -> list:
    """n outlets report one Monday meeting, and n others an accusation two days later."""
    meeting = [_report(f"m{i:04d}", f"m-art{i}", "2024-06-17") for i in range(n)]
    accusation = [_report(f"x{i:04d}", f"x-art{i}", "2024-06-19", etype="ACCUSE",
                          evidence="Seoul accused Beijing of harassment.") for i in range(n)]
    return meeting + accusation


def test_a_big_group_splits_into_its_events_in_any_order():
    reports = _story(EXACT_LIMIT)  # 300 reports: past the exact limit
    groups = cluster(reports)
    assert sorted(len(g) for g in groups) == [EXACT_LIMIT, EXACT_LIMIT]
    shuffled = reports[:]
    random.Random(1).shuffle(shuffled)
    assert [[r.event_id for r in g] for g in cluster(shuffled)] == [[r.event_id for r in g] for g in groups]


def test_leader_split_never_puts_two_reports_of_one_article_together():
    same_article = [_report(f"e{i:03d}", "one-article", "2024-06-17") for i in range(EXACT_LIMIT + 5)]
    assert all(len(g) == 1 for g in split_group(same_article))


def test_leader_split_agrees_with_exact_average_link_on_a_plain_story():
    reports = _story(40)
    exact = sorted(sorted(r.event_id for r in g) for g in split_group(reports[:40]) + split_group(reports[40:]))
    bounded = sorted(sorted(r.event_id for r in g) for g in leader_split(reports))
    assert exact == bounded


def test_new_reports_join_stored_fused_events_of_a_big_story(tmp_path, monkeypatch):
    from communique.store import Store, fusion
    from tests.store.test_fusion import ITEMS, _fill, _talks

    monkeypatch.setattr(fusion, "BIG_NEIGHBOURHOOD", 3)
    with Store(tmp_path / "s.duckdb") as store:
        _fill(store, ITEMS)
        store.fuse()  # nothing stored within reach yet: exact clustering
        first = store.timeline()
        _fill(store, [_talks("a5", "2024-06-18"), _talks("a6", "2024-06-24")])
        store.fuse()  # 4 stored reports within reach: past 3, the new ones join the stored fused events
        rows = store.timeline()
        assert [(r["date"], r["num_sources"]) for r in rows] == [("2024-06-18", 4), ("2024-06-24", 2)]
        assert len(first) == 2
        orphans = store.con.execute(
            "SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM fused_members)").fetchone()[0]
        assert orphans == 0
        store.fuse(rebuild=True)
        assert [(r["date"], r["num_sources"]) for r in store.timeline()] == [("2024-06-18", 4), ("2024-06-24", 2)]
