"""The daily lesson: the shipped files are valid, and the choice is pure, safe and relevant."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secondchance.program.lessons import (
    FACTS,
    REQUIRED_SLUGS,
    LessonError,
    Situation,
    all_lessons,
    allowed,
    choose,
    load_lessons,
)
from secondchance.program.steps import GOALS

LESSONS = all_lessons()


def test_there_are_at_least_forty_lessons_with_the_slugs_others_link_to() -> None:
    assert len(LESSONS) >= 40
    slugs = {lesson.slug for lesson in LESSONS}
    assert set(REQUIRED_SLUGS) <= slugs
    for step in (1, 2, 3, 4):
        assert sum(lesson.step == step for lesson in LESSONS) >= 6


def test_every_lesson_reads_in_each_pronoun_and_fits_the_length() -> None:
    for lesson in LESSONS:
        assert 80 <= lesson.words() <= 200, lesson.slug
        for pronouns in ("he", "she", "they"):
            worded = lesson.in_words("Robin", pronouns)
            assert "{" not in worded.body + worded.title + worded.prompt + worded.try_today


def test_a_win_back_lesson_is_never_safe_for_protection() -> None:
    win_back = [lesson for lesson in LESSONS if lesson.win_back]
    assert len(win_back) >= 10
    for lesson in win_back:
        assert not lesson.safe
        for flags in ({"protection": True}, {"crisis": True}):
            assert not allowed(lesson, Situation(step=lesson.step or 1, day_in_step=1, **flags))


@given(
    step=st.integers(1, 4),
    day=st.integers(1, 60),
    goal=st.sampled_from(GOALS),
    crisis=st.booleans(),
    facts=st.frozensets(st.sampled_from(FACTS)),
    read=st.frozensets(st.sampled_from([lesson.slug for lesson in LESSONS])),
)
def test_a_protected_history_never_gets_a_win_back_lesson(
    step: int, day: int, goal: str, crisis: bool, facts: frozenset, read: frozenset
) -> None:
    situation = Situation(step, day, goal, protection=True, crisis=crisis, facts=facts, read=read)
    chosen = choose(LESSONS, situation)
    assert chosen.safe and not chosen.win_back


def test_someone_moving_on_never_gets_a_win_back_lesson() -> None:
    for step in (1, 2, 3, 4):
        for day in range(1, 30):
            lesson = choose(LESSONS, Situation(step, day, "move_on"))
            assert not lesson.win_back, (step, day, lesson.slug)


def test_the_lesson_follows_the_day_in_the_step() -> None:
    first = choose(LESSONS, Situation(1, 1))
    ninth = choose(LESSONS, Situation(1, 9))
    assert first.step == ninth.step == 1
    assert first.slug != ninth.slug
    assert choose(LESSONS, Situation(1, 9)) == ninth  # the same facts, the same lesson


def test_step_four_starts_from_readiness_then_the_first_text_however_late() -> None:
    for day in (1, 9, 17, 40):
        assert choose(LESSONS, Situation(4, day)).slug == "am-i-ready", day
    after = Situation(4, 17, read=frozenset({"am-i-ready"}))
    assert choose(LESSONS, after).slug == "the-first-text"
    # Lessons still ahead wait for their day.
    assert choose(LESSONS, Situation(4, 1, read=frozenset({"am-i-ready"}))).slug == (
        "the-first-text"
    )
    assert choose(LESSONS, Situation(4, 17, "move_on")).step == 4


def test_an_unread_lesson_comes_before_a_read_one() -> None:
    ninth = choose(LESSONS, Situation(1, 9))
    after = choose(LESSONS, Situation(1, 9, read=frozenset({ninth.slug})))
    assert after.slug != ninth.slug and after.step == 1


def test_recent_facts_bring_the_lesson_that_answers_them() -> None:
    assert choose(LESSONS, Situation(2, 8, facts=frozenset({"cried"}))).slug == "crying-spiral"
    checks = Situation(2, 8, facts=frozenset({"profile_checks"}))
    assert choose(LESSONS, checks).slug == "social-media"
    late = Situation(2, 8, facts=frozenset({"night_urges", "urges"}))
    assert choose(LESSONS, late).slug == "weak-moments"
    assert choose(LESSONS, Situation(1, 4, facts=frozenset({"slip"}))).slug == "slips"
    read = frozenset({"crying-spiral"})
    assert choose(LESSONS, Situation(2, 8, facts=frozenset({"cried"}), read=read)).step == 2


def test_crisis_and_protection_bring_their_safety_lessons_first() -> None:
    crisis = Situation(3, 5, crisis=True, facts=frozenset({"crisis"}))
    assert choose(LESSONS, crisis).slug == "crisis-help-first"
    protection = Situation(4, 5, protection=True, facts=frozenset({"protection"}))
    assert choose(LESSONS, protection).slug == "distance-for-safety"


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "lessons.toml").write_text(text, encoding="utf-8")
    return tmp_path


BODY = " ".join(["word"] * 90)


@pytest.mark.parametrize(
    ("lesson", "field"),
    [
        (f'slug = "Bad Slug"\nstep = 1\nday = 1\ntitle = "t"\nbody = "{BODY}"', "slug"),
        (f'slug = "a"\nstep = 9\nday = 1\ntitle = "t"\nbody = "{BODY}"', "step"),
        ('slug = "a"\nstep = 1\nday = 1\ntitle = "t"\nbody = "too short"', "body"),
        (f'slug = "a"\nstep = 1\nday = 1\ntitle = "Hi {{name}}"\nbody = "{BODY}"', "title"),
        (
            f'slug = "a"\nstep = 1\nday = 1\ntitle = "t"\nbody = "{BODY}"\nwin_back = true\n'
            "safe = true",
            "safe",
        ),
        (f'slug = "a"\nstep = 1\nday = 1\ntitle = "t"\nbody = "{BODY}"\ncolour = "red"', "colour"),
    ],
)
def test_a_wrong_lesson_file_is_named_with_its_field(tmp_path: Path, lesson: str, field) -> None:
    text = f'[[lesson]]\n{lesson}\ntry = "x"\nprompt = "y"\n'
    with pytest.raises(LessonError) as caught:
        load_lessons(write(tmp_path, text))
    assert caught.value.file == "lessons.toml"
    assert caught.value.field == field
    assert f"field '{field}'" in str(caught.value)


def test_a_missing_required_lesson_is_refused(tmp_path: Path) -> None:
    text = f'[[lesson]]\nslug = "a"\nstep = 1\nday = 1\ntitle = "t"\nbody = "{BODY}"\n'
    with pytest.raises(LessonError, match="crying-spiral"):
        load_lessons(write(tmp_path, text + 'try = "x"\nprompt = "y"\n'))
