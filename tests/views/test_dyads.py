import pytest

from communique.views import DyadPeriod, ViewEvent, dyad_series, period_of, plot_dyad

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _ev(date, actors=("KOR",), recipients=("CHN",), quad="verbal_cooperation", intensity=2.0, status="occurred"):
    return ViewEvent(date, "CONSULT", quad, intensity, tuple(actors), tuple(recipients), status)


def test_period_labels_and_precision():
    assert period_of("2024-06-18", "month") == "2024-06"
    assert period_of("2024-06-18", "week") == "2024-W25"
    assert period_of("2024-06", "month") == "2024-06"
    assert period_of("2024-06", "week") is None
    assert period_of("2024", "month") is None
    assert period_of(None, "month") is None
    assert period_of("2024-02-31", "week") is None
    assert period_of("June 2024", "month") is None


def test_weeks_across_a_year_boundary_are_iso_weeks_and_filled():
    # 2024-12-30 is the Monday of ISO week 2025-W01; 2024-12-29 is still 2024-W52.
    events = [_ev("2024-12-23"), _ev("2024-12-29"), _ev("2024-12-30"), _ev("2025-01-14")]
    series = dyad_series(events, "KOR", "CHN", by="week")
    assert [p.period for p in series] == ["2024-W52", "2025-W01", "2025-W02", "2025-W03"]
    assert [p.events for p in series] == [2, 1, 0, 1]


def test_weeks_fill_across_a_53_week_year():
    series = dyad_series([_ev("2020-12-21"), _ev("2021-01-05")], "KOR", "CHN", by="week")
    assert [p.period for p in series] == ["2020-W52", "2020-W53", "2021-W01"]


def test_months_are_filled_between_first_and_last():
    series = dyad_series([_ev("2023-11-02"), _ev("2024-02"), _ev("2024-02-20")], "KOR", "CHN")
    assert [p.period for p in series] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert [p.events for p in series] == [1, 0, 0, 2]
    empty = series[1]
    assert empty == DyadPeriod("2023-12") and empty.mean_intensity is None and empty.total_intensity == 0


def test_directions_and_both_orders_count():
    events = [_ev("2024-06-01"), _ev("2024-06-02"), _ev("2024-06-03", ("CHN",), ("KOR",)),
              _ev("2024-06-04", ("USA", "KOR"), ("CHN", "JPN"))]
    (june,) = dyad_series(events, "KOR", "CHN")
    assert (june.events, june.a_to_b, june.b_to_a) == (4, 3, 1)
    (mirror,) = dyad_series(events, "CHN", "KOR")
    assert (mirror.a_to_b, mirror.b_to_a) == (1, 3)


def test_same_side_and_third_parties_do_not_count():
    events = [_ev("2024-06-01", ("KOR", "CHN"), ("USA",)), _ev("2024-06-02", ("KOR",), ("JPN",)),
              _ev("2024-06-03", ("USA",), ("KOR", "CHN"))]
    assert dyad_series(events, "KOR", "CHN") == []


def test_coarse_dates_are_skipped_and_counted():
    events = [_ev("2024-06-18"), _ev("2024-06"), _ev("2024"), _ev(None), _ev("2024", ("USA",), ("JPN",))]
    monthly = dyad_series(events, "KOR", "CHN", by="month")
    assert monthly.skipped == 2 and sum(p.events for p in monthly) == 2
    weekly = dyad_series(events, "KOR", "CHN", by="week")
    assert weekly.skipped == 3 and sum(p.events for p in weekly) == 1
    assert (weekly.a, weekly.b, weekly.by) == ("KOR", "CHN", "week")


def test_status_filter_is_not_skipping():
    events = [_ev("2024-06-18"), _ev("2024-06-19", status="planned"), _ev("2024", status="negated")]
    series = dyad_series(events, "KOR", "CHN")
    assert series[0].events == 1 and series.skipped == 0
    both = dyad_series(events, "KOR", "CHN", statuses=("occurred", "planned"))
    assert both[0].events == 2


def test_quad_counts_and_intensity_mean():
    events = [_ev("2024-06-01", intensity=4.0), _ev("2024-06-02", quad="material_cooperation", intensity=7.0),
              _ev("2024-06-03", quad="verbal_conflict", intensity=-2.0),
              _ev("2024-06-04", quad="material_conflict", intensity=-9.0, actors=("CHN",), recipients=("KOR",))]
    (june,) = dyad_series(events, "KOR", "CHN")
    assert june.counts == {"verbal_cooperation": 1, "material_cooperation": 1, "verbal_conflict": 1,
                           "material_conflict": 1}
    assert june.total_intensity == pytest.approx(0.0)
    assert june.mean_intensity == pytest.approx(0.0)
    (one,) = dyad_series(events[:3], "KOR", "CHN")
    assert one.mean_intensity == pytest.approx(3.0)


def test_bad_arguments():
    with pytest.raises(ValueError, match="month"):
        dyad_series([], "KOR", "CHN", by="day")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two different"):
        dyad_series([], "KOR", "KOR")
    with pytest.raises(ValueError, match="unknown quad"):
        dyad_series([_ev("2024-06-01", quad="friendly")], "KOR", "CHN")


def _mixed_year():
    quads = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
    return [_ev(f"2024-{m:02d}-{d:02d}", quad=quads[(m + d) % 4], intensity=5.0 - (m + d) % 9)
            for m in (1, 2, 3, 5, 8, 12) for d in (3, 10, 17)]


@pytest.mark.parametrize("by", ["month", "week"])
def test_plot_writes_png_and_svg(tmp_path, by):
    series = dyad_series(_mixed_year() + [_ev("2024")], "KOR", "CHN", by=by)
    png = plot_dyad(series, "KOR", "CHN", tmp_path / "out" / "d.png")
    assert png.read_bytes().startswith(PNG_MAGIC)
    svg = tmp_path / "d.svg"
    plot_dyad(series, "KOR", "CHN", svg)
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text


def test_plot_empty_and_plain_list(tmp_path):
    plot_dyad(dyad_series([], "KOR", "CHN"), "KOR", "CHN", tmp_path / "e.png")
    assert (tmp_path / "e.png").stat().st_size > 0
    plot_dyad(list(dyad_series(_mixed_year(), "KOR", "CHN", by="week")), "KOR", "CHN", tmp_path / "w.svg")
    assert (tmp_path / "w.svg").stat().st_size > 0


def test_plot_bad_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        plot_dyad([], "KOR", "CHN", tmp_path / "chart.pdf")
    assert not (tmp_path / "chart.pdf").exists()
