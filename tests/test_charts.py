"""Charts: well-formed SVG with the right number of points and bars, and words for each."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from secondchance.program.steps import words_for
from secondchance.services.insights import (
    Comparison,
    MoodPoint,
    SocialDay,
    Timeline,
    TimelineDay,
    UrgeDay,
)
from secondchance.web import charts

NS = {"svg": charts.SVG_NS}
START = date(2026, 11, 1)


def days(n: int) -> list[date]:
    return [START + timedelta(days=i) for i in range(n)]


def parse(chart: charts.Chart) -> ET.Element:
    assert chart.svg is not None
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    assert title is not None and title.text == chart.summary
    assert root.get("aria-labelledby") == title.get("id")
    assert "style" not in str(chart.svg)  # colours come from classes; the CSP forbids styles
    return root


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in polyline.get("points", "").split()]  # type: ignore[misc]


def test_the_mood_line_has_a_point_per_check_in_and_the_average_a_point_per_day_with_one():
    moods = [5, 3, 7, None, None, None, None, None, None, None]
    series = []
    for i, day in enumerate(days(10)):
        window = [m for m in moods[max(0, i - 6) : i + 1] if m is not None]
        series.append(MoodPoint(day, moods[i], sum(window) / len(window) if window else None))
    chart = charts.mood_chart(series)
    root = parse(chart)
    line = root.find("svg:polyline[@class='line']", NS)
    avg = root.find("svg:polyline[@class='avg']", NS)
    assert line is not None and avg is not None
    assert len(points(line)) == 3
    assert len(points(avg)) == 9  # day 10's window (days 4..10) has no check-in
    assert len(root.findall("svg:circle", NS)) == 3
    # Higher mood is drawn higher (smaller y): 7 above 5 above 3.
    ys = [y for _, y in points(line)]
    assert ys[2] < ys[0] < ys[1]
    assert "3 check-ins, from 3 to 7" in chart.summary
    assert chart.columns == ("Day", "Mood", "7-day average")
    assert len(chart.rows) == 9


def test_urges_are_stacked_bars_one_rect_per_outcome_that_happened():
    series = [UrgeDay(d, 0, 0) for d in days(7)]
    series[1] = UrgeDay(series[1].day, 2, 1)
    series[4] = UrgeDay(series[4].day, 1, 0)
    chart = charts.urges_chart(series)
    root = parse(chart)
    rects = root.findall("svg:rect", NS)
    assert [r.get("class") for r in rects] == ["bar", "bar alt", "bar"]
    resisted, acted = rects[0], rects[1]
    # Acted sits on top of ridden-out in the same column.
    assert resisted.get("x") == acted.get("x")
    assert float(acted.get("y", 0)) + float(acted.get("height", 0)) == pytest.approx(
        float(resisted.get("y", 0))
    )
    assert "4 in all. You rode out 3 and acted on 1" in chart.summary
    assert chart.rows == (("2 Nov", "2", "1"), ("5 Nov", "1", "0"))


def test_profile_checks_draw_a_bar_for_each_day_with_checks_and_the_aim():
    series = [SocialDay(d, c) for d, c in zip(days(5), [4, None, 0, 2, 1], strict=True)]
    chart = charts.social_chart(series, words_for("Jo", "she"))
    root = parse(chart)
    assert len(root.findall("svg:rect", NS)) == 3
    assert root.find("svg:line[@class='aim']", NS) is not None
    assert chart.title == "Checking her profile"
    assert "On 4 check-in days you looked at her profile 7 times" in chart.summary
    assert len(chart.rows) == 4  # the day without a check-in has no number to give


def test_the_timeline_has_a_cell_per_day_and_says_slips_kindly():
    kinds = ["start", *["free"] * 5, "slip", *["free"] * 20]
    line = Timeline(
        START,
        None,
        tuple(TimelineDay(d, k) for d, k in zip(days(len(kinds)), kinds, strict=True)),
        current=20,
        longest=20,
        total=25,
        slips=1,
    )
    chart = charts.timeline_chart(line)
    root = parse(chart)
    cells = root.findall("svg:rect", NS)
    assert len(cells) == 27
    assert [c.get("class") for c in cells].count("slip") == 1
    # Two weeks a row: 27 days take two rows.
    assert len({c.get("y") for c in cells}) == 2
    assert "1 slip, and every other day still counts" in chart.summary
    assert ("7 Nov", "7 Nov", "a slip: data, not failure") in chart.rows
    assert ("2 Nov", "6 Nov", "5 days without contact") in chart.rows


def test_on_day_one_the_timeline_is_one_small_cell_in_a_two_week_row():
    line = Timeline(START, None, (TimelineDay(START, "start"),), 0, 0, 0, 0)
    root = parse(charts.timeline_chart(line))
    [cell] = root.findall("svg:rect", NS)
    width = float(root.get("viewBox", "0 0 0 0").split()[2] or root.get("width"))
    assert float(cell.get("width")) < width / 10  # a day is a fourteenth of the row, not all


def test_better_days_draw_two_bars_for_each_activity_with_enough_days():
    found = [
        Comparison("exercise", "exercise", 4, 6, 7.5, 5.0, True),
        Comparison("gratitude", "a gratitude note", 1, 9, 6.0, 5.8, False),
    ]
    chart = charts.better_days_chart(found)
    root = parse(chart)
    assert [r.get("class") for r in root.findall("svg:rect", NS)] == ["bar", "bar soft"]
    assert "with exercise 7.5, without 5.0" in chart.summary
    assert chart.notes and "A gratitude note: 1 check-in day with it" in chart.notes[0]


@pytest.mark.parametrize(
    ("chart", "says"),
    [
        (charts.mood_chart([MoodPoint(d, None, None) for d in days(30)]), "first check-in"),
        (charts.urges_chart([UrgeDay(d, 0, 0) for d in days(30)]), "SOS"),
        (
            charts.social_chart([SocialDay(d, None) for d in days(30)], words_for("Sam", "he")),
            "his",
        ),
        (charts.timeline_chart(Timeline(None, None, (), 0, 0, 0, 0)), "When you're ready"),
        (charts.better_days_chart([]), "Not enough days yet"),
    ],
    ids=["mood", "urges", "social", "timeline", "better"],
)
def test_an_empty_chart_encourages_instead_of_drawing(chart: charts.Chart, says: str) -> None:
    assert chart.svg is None
    assert says in chart.empty


def test_text_in_a_chart_is_escaped() -> None:
    found = [Comparison("x", "<script>&", 3, 3, 6.0, 5.0, True)]
    svg = str(charts.better_days_chart(found).svg)
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg
    ET.fromstring(svg)
