"""Fusion rules on hand-built reports: what joins, what stays apart, and what the fused event says."""

import numpy as np

from communique.fuse import cluster, compatible, durations, find_discrepancies, fuse, same_event_score
from communique.fuse.reports import Report


def _report(eid, article, date, *, etype="CONSULT", status="occurred", actors=("KOR",), recipients=("CHN",),
            source=None, location=None, evidence="Seoul and Beijing held security talks.", people=(), vector=None,
            published="2024-06-19"):
    return Report(event_id=eid, article_id=article, source=source or article, event_type=etype,
                  quad="verbal_cooperation", date=date, status=status, confidence=0.8, actors=actors,
                  recipients=recipients, evidence=evidence, published=published, location=location,
                  people=people, vector=vector)


def test_the_same_meeting_from_two_outlets_fuses():
    a = _report("e1", "a1", "2024-06-18", location="Seoul")
    b = _report("e2", "a2", "2024-06-18", actors=("CHN",), recipients=("KOR",), evidence="China and South Korea met in Seoul.")
    [fused] = [fuse(c) for c in cluster([a, b])]
    assert fused.num_sources == 2 and fused.num_reports == 2 and fused.date == "2024-06-18"
    assert set(fused.actors) | set(fused.recipients) == {"KOR", "CHN"}


def test_both_states_on_one_side_still_match_a_directed_report():
    a = _report("e1", "a1", "2024-06-18", actors=("KOR", "CHN"), recipients=())
    b = _report("e2", "a2", "2024-06-18")
    assert compatible(a, b)


def test_near_misses_stay_apart():
    monday = _report("e1", "a1", "2024-06-17")
    friday = _report("e2", "a2", "2024-06-21")
    other_pair = _report("e3", "a3", "2024-06-17", actors=("JPN",), recipients=("CHN",))
    condemnation = _report("e4", "a4", "2024-06-17", etype="ACCUSE")
    same_article = _report("e5", "a1", "2024-06-17")
    assert not compatible(monday, friday)
    assert not compatible(monday, other_pair)
    assert not compatible(monday, condemnation)
    assert not compatible(monday, same_article)
    assert len(cluster([monday, friday, other_pair, condemnation, same_article])) == 5


def test_different_people_for_one_state_lower_the_score():
    xi = _report("e1", "a1", "2023-06-19", actors=("CHN",), recipients=("USA",), people=(("CHN", "person:xi-jinping"),))
    wang = _report("e2", "a2", "2023-06-19", actors=("USA",), recipients=("CHN",), people=(("CHN", "person:wang-yi"),))
    slip = _report("e3", "a3", "2023-06-19", actors=("USA",), recipients=("CHN",), people=(("CHN", "person:xi"),))
    assert same_event_score(xi, wang) < same_event_score(xi, slip)


def test_fusion_does_not_depend_on_order():
    reports = [_report(f"e{i}", f"a{i}", "2024-06-18", vector=np.ones(4, dtype=np.float32) / 2) for i in range(5)]
    reports.append(_report("e9", "a9", "2024-06-25"))
    forward = [[r.event_id for r in c] for c in cluster(reports)]
    backward = [[r.event_id for r in c] for c in cluster(list(reversed(reports)))]
    assert forward == backward and len(forward) == 2


def test_the_best_supported_date_and_status_win():
    reports = [
        _report("e1", "a1", "2024-06-18", source="Harbor Post"),
        _report("e2", "a2", "2024-06-18", source="Asia Wire"),
        _report("e3", "a3", "2024-06-19", source="Capital Ledger", status="planned"),
    ]
    fused = fuse(reports)
    assert fused.date == "2024-06-18" and fused.status == "occurred" and fused.num_sources == 3


def test_durations_are_read_in_minutes():
    assert durations("a four-hour meeting") == [240]
    assert durations("talks lasted four hours and 40 minutes") == [280]
    assert durations("a 90-minute phone call") == [90]


def test_discrepancies_name_the_sources_on_each_side():
    a = _report("e1", "a1", "2024-06-18", source="Harbor Post", location="Seoul")
    b = _report("e2", "a2", "2024-06-18", source="Asia Wire", location="Busan")
    c = _report("e3", "a3", "2024-06", source="Capital Ledger")
    found = {d.field: d.values for d in find_discrepancies(
        "fe_x", [a, b, c],
        people={"e1": [("Cho Tae-yul", "KOR", "foreign minister")], "e2": [("Cho Tae-yong", "KOR", "foreign minister")]},
        context={"e1": "They met for a four-hour meeting.", "e2": "The talks lasted four hours and 40 minutes."},
    )}
    assert found["place"] == {"Busan": ["Asia Wire"], "Seoul": ["Harbor Post"]}
    assert "date" not in found  # June 2024 contains 18 June: no disagreement
    assert set(found["name:KOR/foreign minister"]) == {"Cho Tae-yul", "Cho Tae-yong"}
    assert found["duration"] == {"4 h 00 min": ["Harbor Post"], "4 h 40 min": ["Asia Wire"]}


def test_an_undated_announcement_joins_the_meeting_days_later():
    announced = _report("e1", "a1", None, status="planned", published="2023-09-12",
                        evidence="Kim will hold talks with Putin in the coming days.")
    held = _report("e2", "a2", "2023-09-13", published="2023-09-14", evidence="Kim held talks with Putin on Wednesday.")
    long_before = _report("e3", "a3", "2023-08-20", published="2023-08-21", evidence="Kim held talks with Putin.")
    assert compatible(announced, held)
    assert not compatible(announced, long_before)
