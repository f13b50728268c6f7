"""The four steps, and the fixed vocabularies the program uses, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: str
    why: str


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "no_contact",
        "Give {obj} time to miss you",
        "Absence is what lets someone be missed. No texts, calls, likes or messages for now.",
    ),
    Step(
        2,
        "emotions",
        "Take control of your emotions",
        "Calm and steady, day after day: that is the strength this step builds.",
    ),
    Step(
        3,
        "self_focus",
        "Focus on yourself",
        "Feel good in your body, grow a positive mind, and let life be fun again.",
    ),
    Step(
        4,
        "reconnect",
        "Reach out again, lightly",
        "A short, fun first text that recalls a good memory, when you feel ready.",
    ),
)

# Step 4 on the move-on path: the same strength, spent on closing the chapter instead.
CLOSURE_STEP = Step(
    4,
    "closure",
    "Close the chapter",
    "No re-contact: a last letter you keep, and milestones that mark how far you have come.",
)

# When the person's story shows abuse, the same program becomes protection: distance for
# safety's sake, and nothing that coaches a return.
PROTECTION_STEPS: dict[int, Step] = {
    1: Step(
        1,
        "distance",
        "Keep your distance, for you",
        "No contact here is protection, not a tactic: space to be safe and to heal.",
    ),
    4: Step(
        4,
        "protection",
        "Your life, your safety",
        "No re-contact. Your safety and your own future come first.",
    ),
}

GOALS = ("reconcile", "move_on", "undecided")
WHO_ENDED = ("ex", "me", "mutual")

# About thirty everyday feeling words, hard and hopeful ones side by side.
EMOTIONS = (
    "calm",
    "hopeful",
    "content",
    "grateful",
    "proud",
    "relieved",
    "confident",
    "energetic",
    "loved",
    "peaceful",
    "curious",
    "playful",
    "okay",
    "numb",
    "tired",
    "bored",
    "restless",
    "lonely",
    "sad",
    "heartbroken",
    "anxious",
    "worried",
    "angry",
    "frustrated",
    "jealous",
    "ashamed",
    "guilty",
    "rejected",
    "confused",
    "overwhelmed",
    "empty",
    "hurt",
)

CONTACT_DIRECTIONS = ("you_to_ex", "ex_to_you")
CONTACT_CHANNELS = ("text", "call", "social_media", "in_person", "other")
URGE_OUTCOMES = ("resisted", "acted")
LETTER_KINDS = ("unsent", "final")
MEMORY_KINDS = ("memory", "inside_joke")
CONVERSATION_SIDES = ("you", "ex")

# Step 3's three tracks and the kinds of activity that belong to each.
TRACKS: dict[str, tuple[str, ...]] = {
    "look_and_feel": ("exercise", "outfit", "hair", "look_other"),
    "happy_and_positive": ("gratitude", "reframe", "positive_other"),
    "fun_and_friends": ("going_out", "something_new"),
}
ACTIVITY_KINDS: tuple[str, ...] = tuple(kind for kinds in TRACKS.values() for kind in kinds)
ACTIVITY_LABELS = {
    "exercise": "exercise",
    "outfit": "a new outfit",
    "hair": "a new hairstyle",
    "look_other": "something for how you look and feel",
    "gratitude": "a gratitude note",
    "reframe": "reframing a negative thought",
    "positive_other": "a positive practice",
    "going_out": "going out with friends",
    "something_new": "trying something new",
}


@dataclass(frozen=True)
class Target:
    """A self-focus target: how many activities of these kinds, per this many days."""

    key: str
    column: str  # the Profile column that holds the person's own number
    kinds: tuple[str, ...]
    period_days: int
    label: str


TARGETS: tuple[Target, ...] = (
    Target("exercise", "exercise_per_week", ("exercise",), 7, "exercise"),
    Target("fun", "fun_per_week", ("going_out", "something_new"), 7, "going out or something new"),
    Target(
        "positive",
        "positive_per_week",
        ("gratitude", "reframe", "positive_other"),
        7,
        "positive practice",
    ),
    Target("look", "look_per_fortnight", ("outfit", "hair", "look_other"), 14, "look-and-feel"),
)


@dataclass(frozen=True)
class Question:
    key: str
    text: str  # with {ex}, {subj}, {obj}, {pos}, {be} placeholders


# Step 4's self-assessment. Every answer must be "yes" before reaching out.
READINESS_QUESTIONS: tuple[Question, ...] = (
    Question("see_without_breaking_down", "Could you see {ex} without breaking down?"),
    Question("okay_without_reply", "If {subj} didn't reply, or replied coolly, would you be okay?"),
    Question(
        "okay_with_new_partner",
        "If you heard {subj} {be} seeing someone new, could you still have a good day?",
    ),
    Question("life_you_enjoy", "Do you have a life you enjoy right now, with or without {obj}?"),
    Question(
        "keep_it_light",
        "Could you keep a first chat short and light, without bringing up the relationship?",
    ),
)


@dataclass(frozen=True)
class Pronouns:
    subj: str
    obj: str
    pos: str
    be: str  # "is" or "are", so sentences about "they" read right


PRONOUNS: dict[str, Pronouns] = {
    "he": Pronouns("he", "him", "his", "is"),
    "she": Pronouns("she", "her", "her", "is"),
    "they": Pronouns("they", "them", "their", "are"),
}


def words_for(ex_name: str, pronouns: str) -> dict[str, str]:
    """Return the placeholders every message can use: ex, subj, obj, pos, be (and Subj)."""
    p = PRONOUNS[pronouns]
    return {
        "ex": ex_name,
        "subj": p.subj,
        "Subj": p.subj.capitalize(),
        "obj": p.obj,
        "pos": p.pos,
        "be": p.be,
    }
