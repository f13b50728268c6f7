"""The daily lesson: lessons as data files, checked once, and a pure choice of today's lesson.

Lessons live in ``program/lesson_data/*.toml`` (see the README there) so a coach can edit them
without touching code. ``load_lessons`` checks every field and raises ``LessonError`` naming the
file, the lesson and the field; ``choose`` picks one lesson from plain facts, the same answer
for the same facts.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from secondchance.program.steps import GOALS, PRONOUNS, words_for

DATA_DIR = Path(__file__).with_name("lesson_data")
# Recent facts a lesson can answer, most pressing first: a slip is met before tears, and so on.
FACTS = (
    "crisis",
    "protection",
    "slip",
    "cried",
    "profile_checks",
    "night_urges",
    "urges",
    "low_mood",
)
# Other parts of the product link to these, so they must always exist.
# Steps whose lessons build on each other (readiness, then the first text, then the replies and
# the pace): the first unread one whose day has come is chosen, not the latest, so someone who
# reaches step 4 late starts from readiness instead of meeting again.
IN_ORDER_STEPS = frozenset({4})
REQUIRED_SLUGS = ("crying-spiral", "social-media", "weak-moments", "slips", "self-care")
MIN_WORDS, MAX_WORDS = 80, 200
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_FIELDS = ("title", "body", "try", "prompt")
KNOWN_FIELDS = {
    "slug",
    "step",
    "day",
    "goals",
    "win_back",
    "safe",
    "safety_only",
    "when",
    *TEXT_FIELDS,
}
PLACEHOLDERS = set(words_for("Sam", "he"))


class LessonError(ValueError):
    """A lesson file is wrong; the message names the file, the lesson and the field."""

    def __init__(self, file: str, where: str, field_name: str, reason: str) -> None:
        self.file, self.field = file, field_name
        super().__init__(f"{file}: {where}, field '{field_name}': {reason}")


@dataclass(frozen=True)
class Lesson:
    slug: str
    step: int  # 1–4, or 0 for any step
    day: int  # the day in its step it fits best
    title: str
    body: str
    try_today: str
    prompt: str
    goals: tuple[str, ...] = GOALS
    win_back: bool = False  # about being missed or reaching out: never under protection
    safe: bool = False  # may be shown while protection or a crisis is on
    safety_only: bool = False  # shown only while protection or a crisis is on
    when: frozenset[str] = field(default_factory=frozenset)

    def words(self) -> int:
        return len(self.body.split())

    def in_words(self, ex_name: str, pronouns: str) -> Lesson:
        """Return the lesson with the ex's name and pronouns filled in."""
        w = words_for(ex_name, pronouns if pronouns in PRONOUNS else "they")
        return Lesson(
            **{
                **self.__dict__,
                "title": self.title.format(**w),
                "body": self.body.format(**w),
                "try_today": self.try_today.format(**w),
                "prompt": self.prompt.format(**w),
            }
        )

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.body.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Situation:
    """Plain facts about a person today, all the choice needs."""

    step: int
    day_in_step: int
    goal: str = "reconcile"
    protection: bool = False
    crisis: bool = False
    facts: frozenset[str] = frozenset()
    read: frozenset[str] = frozenset()

    @property
    def safety_on(self) -> bool:
        return self.protection or self.crisis


# --------------------------------------------------------------------------- loading


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_text(file: str, where: str, name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LessonError(file, where, name, "should be some text")
    try:
        unknown = _placeholders(value) - PLACEHOLDERS
    except ValueError as error:
        raise LessonError(file, where, name, f"has a stray brace ({error})") from None
    if unknown:
        names = ", ".join(sorted("{" + u + "}" for u in unknown))
        raise LessonError(file, where, name, f"unknown placeholder {names}")
    return value.strip()


def _check_bool(file: str, where: str, raw: dict[str, Any], name: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise LessonError(file, where, name, "should be true or false")
    return value


def _check_int(file: str, where: str, raw: dict[str, Any], name: str, low: int, high: int) -> int:
    value = raw.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise LessonError(file, where, name, f"should be a whole number from {low} to {high}")
    return value


def _check_list(
    file: str, where: str, raw: dict[str, Any], name: str, allowed: Sequence[str], default: Any
) -> tuple[str, ...]:
    value = raw.get(name, default)
    if not isinstance(value, list) or any(item not in allowed for item in value):
        raise LessonError(file, where, name, f"should be a list of: {', '.join(allowed)}")
    return tuple(value)


def parse_lesson(file: str, place: int, raw: Any) -> Lesson:
    """Return one checked lesson from a ``[[lesson]]`` table; raise LessonError if wrong."""
    where = f"lesson {place}"
    if not isinstance(raw, dict):
        raise LessonError(file, where, "lesson", "should be a [[lesson]] table")
    slug = raw.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise LessonError(file, where, "slug", "should be lowercase words joined by '-'")
    where = f"lesson '{slug}'"
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise LessonError(file, where, unknown[0], "is not a lesson field (see the README)")
    texts = {name: _check_text(file, where, name, raw.get(name)) for name in TEXT_FIELDS}
    words = len(texts["body"].split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        raise LessonError(
            file, where, "body", f"has {words} words; a lesson has {MIN_WORDS} to {MAX_WORDS}"
        )
    lesson = Lesson(
        slug=slug,
        step=_check_int(file, where, raw, "step", 0, 4),
        day=_check_int(file, where, raw, "day", 1, 365),
        title=texts["title"],
        body=texts["body"],
        try_today=texts["try"],
        prompt=texts["prompt"],
        goals=_check_list(file, where, raw, "goals", GOALS, list(GOALS)),
        win_back=_check_bool(file, where, raw, "win_back"),
        safe=_check_bool(file, where, raw, "safe"),
        safety_only=_check_bool(file, where, raw, "safety_only"),
        when=frozenset(_check_list(file, where, raw, "when", FACTS, [])),
    )
    if lesson.win_back and (lesson.safe or lesson.safety_only):
        raise LessonError(file, where, "safe", "a win_back lesson can never be shown for safety")
    if lesson.safety_only and not lesson.safe:
        raise LessonError(file, where, "safe", "a safety_only lesson must also be safe")
    return lesson


def load_lessons(directory: Path = DATA_DIR) -> tuple[Lesson, ...]:
    """Return every lesson in ``directory``'s TOML files, sorted by step, day and slug.

    Raises LessonError for a file that doesn't parse, a wrong field, a slug used twice, or a
    required slug missing.
    """
    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise LessonError(path.name, "the file", "toml", str(error)) from None
        if set(data) - {"lesson"} or not isinstance(data.get("lesson", []), list):
            raise LessonError(path.name, "the file", "lesson", "holds only [[lesson]] tables")
        for place, raw in enumerate(data.get("lesson", []), start=1):
            lesson = parse_lesson(path.name, place, raw)
            if lesson.slug in seen:
                where = f"lesson '{lesson.slug}'"
                raise LessonError(path.name, where, "slug", f"is also used in {seen[lesson.slug]}")
            seen[lesson.slug] = path.name
            lessons.append(lesson)
    for slug in REQUIRED_SLUGS:
        if slug not in seen:
            raise LessonError(directory.name, f"lesson '{slug}'", "slug", "is missing")
    return tuple(sorted(lessons, key=lambda x: (x.step, x.day, x.slug)))


@cache
def all_lessons() -> tuple[Lesson, ...]:
    """The shipped lessons, loaded and checked once per process."""
    return load_lessons(DATA_DIR)


def by_slug(lessons: Iterable[Lesson], slug: str) -> Lesson | None:
    return next((lesson for lesson in lessons if lesson.slug == slug), None)


# --------------------------------------------------------------------------- choosing


def allowed(lesson: Lesson, situation: Situation) -> bool:
    """Whether the lesson may be shown at all: under protection or crisis only safe lessons,
    and a win-back lesson never to someone moving on."""
    if situation.safety_on:
        return lesson.safe and not lesson.win_back
    if lesson.safety_only:
        return False
    if lesson.win_back and situation.goal == "move_on":
        return False
    return situation.goal in lesson.goals


def _for_step(lesson: Lesson, step: int) -> bool:
    return lesson.step == step


def _answering(pool: Sequence[Lesson], situation: Situation) -> Lesson | None:
    """The unread lesson that answers the most pressing recent fact, if any.

    Only lessons of the person's own step, or of no step before step 4, answer facts, so
    someone reaching out again isn't sent back to step-2 lessons by an old tear.
    """
    for fact in FACTS:
        if fact not in situation.facts:
            continue
        for lesson in pool:
            near = lesson.step == situation.step or (lesson.step == 0 and situation.step < 4)
            if situation.safety_on:
                near = True  # every safe lesson is fair when safety is on
            if fact in lesson.when and near and lesson.slug not in situation.read:
                return lesson
    return None


def _of_the_day(pool: Sequence[Lesson], situation: Situation) -> Lesson | None:
    """The unread lesson fitting this day best: the latest whose day has come (the first, in a
    step whose lessons build on each other), else the earliest still ahead; when all are read,
    one by the day, in turn."""
    if not pool:
        return None
    unread = [lesson for lesson in pool if lesson.slug not in situation.read]
    due = [lesson for lesson in unread if lesson.day <= situation.day_in_step]
    if due:
        return due[0] if situation.step in IN_ORDER_STEPS else due[-1]
    if unread:
        return unread[0]
    return pool[(situation.day_in_step - 1) % len(pool)]


def choose(lessons: Sequence[Lesson], situation: Situation) -> Lesson:
    """Return today's lesson for ``situation``: deterministic, unread and relevant first.

    Under protection or crisis only safe lessons are considered, safety lessons first. Otherwise
    a lesson answering a recent fact (a slip, tears, profile checks, late urges, a low mood) comes
    first, then the step's lesson for the day in the step.
    """
    pool = [lesson for lesson in lessons if allowed(lesson, situation)]
    pool.sort(key=lambda x: (x.step, x.day, x.slug))
    answer = _answering(pool, situation)
    if answer is not None:
        return answer
    if situation.safety_on:
        ordered = sorted(
            pool, key=lambda x: (not x.safety_only, x.step != situation.step, x.step, x.day)
        )
        unread = [lesson for lesson in ordered if lesson.slug not in situation.read]
        if unread:
            return unread[0]
        return ordered[(situation.day_in_step - 1) % len(ordered)]
    step_pool = [lesson for lesson in pool if _for_step(lesson, situation.step)]
    chosen = _of_the_day(step_pool, situation) or _of_the_day(pool, situation)
    if chosen is None:
        raise LookupError("no lesson fits; the lesson files hold none for this person")
    return chosen


def by_step(lessons: Sequence[Lesson], situation: Situation) -> dict[int, list[Lesson]]:
    """The lessons this person may see, grouped by step (0 = any step)."""
    groups: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        if allowed(lesson, situation):
            groups.setdefault(lesson.step, []).append(lesson)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == 0, item[0])))
