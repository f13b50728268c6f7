"""Charts as SVG made on the server: pure functions from the insights series to markup.

No script and no library runs in the browser: each chart is a small SVG with ``role="img"``,
a ``<title>`` that says in words what it shows, and the numbers as a table for screen readers
(rendered by ``partials/_chart.html``). Colours come from CSS classes (``app.css`` and
``css/insights.css``), never inline styles, so light and dark themes both work.

The SVG is built with ElementTree, so every text is escaped and the markup is always well
formed; the result is wrapped in ``Markup`` for the template.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean

from markupsafe import Markup

from secondchance.program import thresholds as t
from secondchance.services.insights import (
    MIN_DAYS_TO_COMPARE,
    Comparison,
    MoodPoint,
    SocialDay,
    Timeline,
    UrgeDay,
)

SVG_NS = "http://www.w3.org/2000/svg"
MOOD_LOW, MOOD_HIGH = 1, 10
# The timeline wraps into rows of two weeks, so a long period stays readable on a phone.
TIMELINE_ROW_DAYS = 14


@dataclass(frozen=True)
class Frame:
    """The drawing area inside the SVG's viewBox, with room for axis labels."""

    # Small units on purpose: the SVG scales to the card's width, and at phone width these
    # units are close to CSS pixels, so the 11px labels stay readable.
    width: float = 360
    height: float = 170
    left: float = 24
    right: float = 6
    top: float = 8
    bottom: float = 22

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def baseline(self) -> float:
        return self.top + self.plot_height

    def band(self, count: int) -> float:
        """The width given to each of ``count`` days."""
        return self.plot_width / max(count, 1)

    def x(self, index: int, count: int) -> float:
        """The centre of day ``index`` of ``count``."""
        return self.left + (index + 0.5) * self.band(count)

    def y(self, value: float, low: float, high: float) -> float:
        span = (high - low) or 1
        return self.baseline - (value - low) / span * self.plot_height


@dataclass(frozen=True)
class Chart:
    """One chart: the SVG (None when there's nothing to draw yet), its words and its numbers.

    ``empty`` is the encouraging line shown instead of an empty chart; ``notes`` are extra
    lines under it; ``legend`` pairs a CSS class with what it means.
    """

    key: str
    title: str
    summary: str
    svg: Markup | None
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    legend: tuple[tuple[str, str], ...] = ()
    empty: str = ""
    notes: tuple[str, ...] = field(default=())


def short_day(day: date) -> str:
    """``18 Nov``: short enough for an axis at phone width."""
    return f"{day.day} {day:%b}"


def _num(value: float) -> str:
    """A coordinate with at most one decimal, without trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _one(value: float) -> str:
    return f"{value:.1f}"


def _svg(key: str, summary: str, frame: Frame) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {_num(frame.width)} {_num(frame.height)}",
            "class": "chart",
            "role": "img",
            "aria-labelledby": f"{key}-title",
            "focusable": "false",
        },
    )
    title = ET.SubElement(root, "title", {"id": f"{key}-title"})
    title.text = summary
    return root


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    """Add a child; ``class_`` becomes ``class`` and underscores in other names become dashes."""
    names = {
        ("class" if k == "class_" else k.replace("_", "-")): (
            _num(val) if isinstance(val, float) else str(val)
        )
        for k, val in attrs.items()
    }
    element = ET.SubElement(parent, tag, names)
    if text is not None:
        element.text = text
    return element


def _markup(root: ET.Element) -> Markup:
    # Safe to mark as markup: ElementTree escaped every text and attribute it wrote.
    return Markup(ET.tostring(root, encoding="unicode"))


def _grid(root: ET.Element, frame: Frame, values: Sequence[float], low: float, high: float) -> None:
    """Horizontal grid lines with their value on the left."""
    for value in values:
        y = frame.y(value, low, high)
        _add(root, "line", class_="grid", x1=frame.left, x2=frame.width - frame.right, y1=y, y2=y)
        _add(root, "text", str(int(value)), x=frame.left - 6, y=y + 4, text_anchor="end")


def _day_labels(root: ET.Element, frame: Frame, days: Sequence[date]) -> None:
    """First, middle and last day under the plot: enough to read dates without crowding."""
    if not days:
        return
    count = len(days)
    picks = sorted({0, count // 2, count - 1}) if count > 2 else list(range(count))
    y = frame.height - 8
    for index in picks:
        anchor = "start" if index == 0 else "end" if index == count - 1 else "middle"
        x = (
            frame.left
            if anchor == "start"
            else frame.width - frame.right
            if anchor == "end"
            else frame.x(index, count)
        )
        _add(root, "text", short_day(days[index]), x=x, y=y, text_anchor=anchor)
    _add(
        root,
        "line",
        class_="axis",
        x1=frame.left,
        x2=frame.width - frame.right,
        y1=frame.baseline,
        y2=frame.baseline,
    )


def _trend_words(now: float, before: float) -> str:
    if now - before >= 0.5:
        return f"up from {_one(before)}"
    if before - now >= 0.5:
        return f"down from {_one(before)}"
    return f"about the same as the {_one(before)}"


def mood_chart(points: Sequence[MoodPoint]) -> Chart:
    """Mood per check-in (a line with a dot each) and the 7-day average (a dashed line)."""
    title = "Mood"
    checked = [(i, p) for i, p in enumerate(points) if p.mood is not None]
    if not checked:
        return Chart(
            "mood",
            title,
            "No check-ins in these days yet.",
            None,
            empty="Your mood line starts with your first check-in. Thirty seconds a day is "
            "enough, and in a week or two you'll see how far you've come.",
        )
    moods = [p.mood for _, p in checked if p.mood is not None]
    averages = [(i, p) for i, p in enumerate(points) if p.average is not None]
    summary = (
        f"Mood over the last {len(points)} days: {len(moods)} check-in"
        f"{'' if len(moods) == 1 else 's'}, from {min(moods)} to {max(moods)} out of 10."
    )
    if averages:
        first, last = averages[0][1], averages[-1][1]
        assert first.average is not None and last.average is not None
        summary += f" Your 7-day average is {_one(last.average)}"
        summary += (
            f", {_trend_words(last.average, first.average)} on {short_day(first.day)}."
            if len(averages) > 1
            else "."
        )
    frame = Frame()
    count = len(points)
    root = _svg("mood", summary, frame)
    _grid(root, frame, [1, 4, 7, 10], MOOD_LOW, MOOD_HIGH)
    _day_labels(root, frame, [p.day for p in points])

    def xy(index: int, value: float) -> str:
        return f"{_num(frame.x(index, count))},{_num(frame.y(value, MOOD_LOW, MOOD_HIGH))}"

    _add(root, "polyline", class_="line", points=" ".join(xy(i, p.mood) for i, p in checked))  # type: ignore[arg-type]
    if averages:
        line = " ".join(xy(i, p.average) for i, p in averages)  # type: ignore[arg-type]
        _add(root, "polyline", class_="avg", points=line)
    radius = min(3.5, frame.band(count) * 0.45)  # dots shrink when 90 days share the width
    for i, p in checked:
        dot = _add(
            root,
            "circle",
            class_="dot",
            cx=frame.x(i, count),
            cy=frame.y(p.mood, MOOD_LOW, MOOD_HIGH),  # type: ignore[arg-type]
            r=radius,
        )
        _add(dot, "title", f"{short_day(p.day)}: mood {p.mood}")
    rows = tuple(
        (
            short_day(p.day),
            "" if p.mood is None else str(p.mood),
            "" if p.average is None else _one(p.average),
        )
        for p in points
        if p.mood is not None or p.average is not None
    )
    return Chart(
        "mood",
        title,
        summary,
        _markup(root),
        ("Day", "Mood", "7-day average"),
        rows,
        (("line", "your mood"), ("avg", "7-day average")),
    )


def _count_grid(root: ET.Element, frame: Frame, high: int) -> None:
    step = max(1, -(-high // 3))
    _grid(root, frame, list(range(0, high + 1, step)), 0, high)


def urges_chart(days: Sequence[UrgeDay]) -> Chart:
    """Urges per day as stacked bars: ridden out at the bottom, acted on above."""
    title = "Urges to get in touch"
    resisted = sum(d.resisted for d in days)
    acted = sum(d.acted for d in days)
    if not resisted + acted:
        return Chart(
            "urges",
            title,
            "No urges logged in these days.",
            None,
            empty="Nothing logged here. When an urge comes, the SOS tab helps you ride it out, "
            "and logging it lets you watch urges grow weaker over the weeks.",
        )
    summary = (
        f"Urges over the last {len(days)} days: {resisted + acted} in all. You rode out "
        f"{resisted} and acted on {acted}."
    )
    high = max(3, max(d.resisted + d.acted for d in days))
    frame = Frame()
    root = _svg("urges", summary, frame)
    _count_grid(root, frame, high)
    _day_labels(root, frame, [d.day for d in days])
    width = frame.band(len(days)) * 0.7
    for index, day in enumerate(days):
        x = frame.x(index, len(days)) - width / 2
        bottom = 0
        for amount, css, words in (
            (day.resisted, "bar", "ridden out"),
            (day.acted, "bar alt", "acted on"),
        ):
            if not amount:
                continue
            top = frame.y(bottom + amount, 0, high)
            rect = _add(
                root,
                "rect",
                class_=css,
                x=x,
                y=top,
                width=width,
                height=frame.y(bottom, 0, high) - top,
            )
            _add(rect, "title", f"{short_day(day.day)}: {amount} {words}")
            bottom += amount
    rows = tuple(
        (short_day(d.day), str(d.resisted), str(d.acted)) for d in days if d.resisted or d.acted
    )
    return Chart(
        "urges",
        title,
        summary,
        _markup(root),
        ("Day", "Ridden out", "Acted on"),
        rows,
        (("bar", "ridden out"), ("bar alt", "acted on")),
    )


def social_chart(days: Sequence[SocialDay], words: dict[str, str]) -> Chart:
    """Profile checks per check-in day as bars, with the program's aim drawn as a line."""
    title = f"Checking {words['pos']} profile"
    checked = [(i, d) for i, d in enumerate(days) if d.checks is not None]
    if not checked:
        return Chart(
            "social",
            title,
            "No check-ins in these days yet.",
            None,
            empty=f"Each check-in asks how often you looked at {words['pos']} profile. "
            "Honest numbers here are how you'll see the habit fade.",
        )
    counts = [d.checks for _, d in checked if d.checks is not None]
    summary = (
        f"On {len(counts)} check-in day{'' if len(counts) == 1 else 's'} you looked at "
        f"{words['pos']} profile {sum(counts)} time{'' if sum(counts) == 1 else 's'}, "
        f"about {_one(fmean(counts))} a day. About once a day or less is the aim."
    )
    high = max(3, max(counts))
    frame = Frame()
    root = _svg("social", summary, frame)
    _count_grid(root, frame, high)
    _day_labels(root, frame, [d.day for d in days])
    aim = frame.y(t.SOCIAL_CHECKS_PER_DAY_MAX, 0, high)
    _add(root, "line", class_="aim", x1=frame.left, x2=frame.width - frame.right, y1=aim, y2=aim)
    width = frame.band(len(days)) * 0.7
    for index, day in checked:
        if not day.checks:
            continue
        top = frame.y(day.checks, 0, high)
        rect = _add(
            root,
            "rect",
            class_="bar",
            x=frame.x(index, len(days)) - width / 2,
            y=top,
            width=width,
            height=frame.baseline - top,
        )
        _add(rect, "title", f"{short_day(day.day)}: {day.checks}")
    rows = tuple((short_day(d.day), str(d.checks)) for _, d in checked)
    return Chart(
        "social",
        title,
        summary,
        _markup(root),
        ("Day", "Times checked"),
        rows,
        (("bar", "times checked"), ("aim", "the aim: once a day or less")),
    )


TIMELINE_WORDS = {
    "start": "the day you began",
    "free": "a day without contact",
    "slip": "a slip: data, not failure",
}


def _runs(timeline: Timeline) -> list[tuple[date, date, str, int]]:
    """Consecutive days of one kind as (first, last, kind, how many)."""
    runs: list[tuple[date, date, str, int]] = []
    for entry in timeline.days:
        if runs and runs[-1][2] == entry.kind:
            first, _, kind, n = runs[-1]
            runs[-1] = (first, entry.day, kind, n + 1)
        else:
            runs.append((entry.day, entry.day, entry.kind, 1))
    return runs


def timeline_chart(timeline: Timeline) -> Chart:
    """The no-contact period as a strip of days (two weeks a row), slips marked kindly."""
    title = "Your contact-free days"
    if timeline.started_on is None:
        return Chart(
            "timeline",
            title,
            "No contact hasn't started yet.",
            None,
            empty="No contact hasn't started yet. When you're ready, start it from Today, "
            "and this timeline will fill in, one day at a time.",
        )
    slips = timeline.slips
    summary = (
        f"Since {short_day(timeline.started_on)}: {timeline.total} contact-free "
        f"day{'' if timeline.total == 1 else 's'} in all, longest run {timeline.longest}, "
        f"current run {timeline.current}. "
    )
    summary += (
        f"{slips} slip{'' if slips == 1 else 's'}, and every other day still counts."
        if slips
        else "No slips."
    )
    if timeline.ended_on:
        summary += f" This period ended on {short_day(timeline.ended_on)}."
    count = len(timeline.days)
    # Always two weeks wide: on day 1 a single cell is a small square at the start of its row,
    # not one giant square stretched to the width of the screen.
    per_row = TIMELINE_ROW_DAYS
    cell = 20.0
    frame = Frame(width=per_row * cell + 8, height=-(-count // per_row) * cell + 8, left=4, top=4)
    root = _svg("timeline", summary, frame)
    css = {"start": "bar start", "free": "bar", "slip": "slip"}
    for index, entry in enumerate(timeline.days):
        row, col = divmod(index, per_row)
        rect = _add(
            root,
            "rect",
            class_=css[entry.kind],
            x=frame.left + col * cell + 1,
            y=frame.top + row * cell + 1,
            width=cell - 2,
            height=cell - 2,
            rx=3,
        )
        _add(rect, "title", f"{short_day(entry.day)}: {TIMELINE_WORDS[entry.kind]}")
    rows = tuple(
        (
            short_day(first),
            short_day(last),
            f"{n} day{'' if n == 1 else 's'} without contact"
            if kind == "free"
            else TIMELINE_WORDS[kind],
        )
        for first, last, kind, n in _runs(timeline)
    )
    return Chart(
        "timeline",
        title,
        summary,
        _markup(root),
        ("From", "To", "What"),
        rows,
        (
            ("bar", TIMELINE_WORDS["free"]),
            ("slip", TIMELINE_WORDS["slip"]),
            ("bar start", TIMELINE_WORDS["start"]),
        ),
    )


def better_days_chart(comparisons: Sequence[Comparison]) -> Chart:
    """Average mood with and without each kind of activity, where there are enough days."""
    title = "What goes with your better days"
    enough = [c for c in comparisons if c.enough]
    waiting = tuple(
        f"{c.label.capitalize()}: {c.days_with} check-in day{'' if c.days_with == 1 else 's'} "
        f"with it and {c.days_without} without so far; {MIN_DAYS_TO_COMPARE} of each tell "
        "us more."
        for c in comparisons
        if not c.enough
    )
    if not enough:
        return Chart(
            "better",
            title,
            "Not enough days yet to see a pattern.",
            None,
            empty="Not enough days yet to see a pattern. Keep checking in and logging what "
            "you do for yourself; after a few days of each, this shows what goes with your "
            "better days.",
            notes=waiting,
        )
    parts = [
        f"with {c.label} {_one(c.mood_with or 0)}, without {_one(c.mood_without or 0)}"
        for c in enough
    ]
    summary = "Average mood on check-in days " + "; ".join(parts) + "."
    # Each activity: its name on a line, then "with" and "without" bars under it.
    label_height, bar_height, gap = 16.0, 14.0, 10.0
    group = label_height + 2 * bar_height + gap
    frame = Frame(height=len(enough) * group + 26, left=6, right=30, top=4, bottom=22)
    root = _svg("better", summary, frame)
    for value in (1, 5, 10):
        x = frame.left + value / MOOD_HIGH * frame.plot_width
        _add(root, "line", class_="grid", x1=x, x2=x, y1=frame.top, y2=frame.baseline)
        _add(root, "text", str(value), x=x, y=frame.height - 6, text_anchor="middle")
    for index, c in enumerate(enough):
        top = frame.top + index * group
        _add(root, "text", c.label.capitalize(), class_="label", x=frame.left, y=top + 12)
        for offset, value, css, words in (
            (label_height, c.mood_with, "bar", "with"),
            (label_height + bar_height, c.mood_without, "bar soft", "without"),
        ):
            length = (value or 0) / MOOD_HIGH * frame.plot_width
            rect = _add(
                root,
                "rect",
                class_=css,
                x=frame.left,
                y=top + offset + 1,
                width=length,
                height=bar_height - 2,
            )
            _add(rect, "title", f"{words} {c.label}: {_one(value or 0)}")
            _add(root, "text", _one(value or 0), x=frame.left + length + 4, y=top + offset + 11)
    rows = tuple(
        (
            c.label,
            _one(c.mood_with or 0),
            str(c.days_with),
            _one(c.mood_without or 0),
            str(c.days_without),
        )
        for c in enough
    )
    return Chart(
        "better",
        title,
        summary,
        _markup(root),
        ("Activity", "Mood with", "Days with", "Mood without", "Days without"),
        rows,
        (("bar", "days with it"), ("bar soft", "days without")),
        notes=waiting,
    )
