"""Today's status: the step, every gate with its numbers, and one to three actions. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from secondchance.clock import local_date
from secondchance.program import thresholds as t
from secondchance.program.history import History
from secondchance.program.pacing import pacing_advice
from secondchance.program.progress import (
    Gate,
    Measures,
    Streaks,
    active_period,
    activity_counts,
    emotions_gate,
    latest_period,
    measures,
    no_contact_gate,
    readiness_gate,
    self_focus_gate,
    streaks,
)
from secondchance.program.safety import SafetyState
from secondchance.program.steps import (
    ACTIVITY_LABELS,
    CLOSURE_STEP,
    PROTECTION_STEPS,
    STEPS,
    TARGETS,
    Step,
    words_for,
)


@dataclass(frozen=True)
class Action:
    key: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.key, "text": self.text}


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    reached: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.key, "label": self.label, "reached": self.reached}


@dataclass(frozen=True)
class Status:
    """Everything ``status`` shows. ``phase`` is one of:

    ``not_started`` (no no-contact period yet), ``working`` (steps 1-3 or getting ready for 4),
    ``ready`` (step 4 unlocked), ``reconnected`` (talking again after the program),
    ``closure`` (move-on path, step 4, and always when ``protection`` is on).
    ``protection`` means something the person wrote showed abuse and they haven't cleared it:
    distance is for safety and nothing coaches a return. ``recent_crisis`` and ``concern`` keep
    help in view; ``safety`` is the remembered state behind the three (since when, the words).
    ``step_titles`` names all four steps as this person's path has them.
    """

    today: date
    step: int
    step_title: str
    step_why: str
    phase: str
    goal: str
    target_days: int
    streaks: Streaks
    measures: Measures
    gates: tuple[Gate, ...]
    step4_unlocked: bool
    actions: tuple[Action, ...]
    pacing: tuple[Action, ...] = field(default=())
    milestones: tuple[Milestone, ...] = field(default=())
    protection: bool = False
    recent_crisis: bool = False
    step_titles: tuple[str, ...] = field(default=())
    concern: bool = False
    safety: SafetyState = field(default_factory=SafetyState)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "step": self.step,
            "step_title": self.step_title,
            "step_why": self.step_why,
            "phase": self.phase,
            "goal": self.goal,
            "no_contact_target_days": self.target_days,
            "streaks": self.streaks.to_dict(),
            "measures": self.measures.to_dict(),
            "gates": [g.to_dict() for g in self.gates],
            "step4_unlocked": self.step4_unlocked,
            "actions": [a.to_dict() for a in self.actions],
            "pacing": [a.to_dict() for a in self.pacing],
            "milestones": [m.to_dict() for m in self.milestones],
            "protection": self.protection,
            "recent_crisis": self.recent_crisis,
            "concern": self.concern,
            "safety": self.safety.to_dict(),
            "step_titles": list(self.step_titles),
        }


def status(history: History, now: datetime) -> Status:
    """Return where the person stands at ``now`` and what to do today."""
    profile = history.profile
    tz = profile.timezone
    words = words_for(profile.ex_name, profile.ex_pronouns)
    today = local_date(now, tz)
    period = active_period(history.periods)
    last = latest_period(history.periods)
    protection = history.protection
    reconnected = (
        period is None
        and last is not None
        and last.end_reason == "recontact"
        and not protection  # after abuse comes to light, the program starts over as distance
    )
    s = streaks(period or last, history.contacts, tz, now)
    m = measures(history.checkins, history.urges, tz, today)
    gates = (
        no_contact_gate(s, profile.no_contact_target_days, period is not None or reconnected),
        emotions_gate(m),
        self_focus_gate(history, today),
        readiness_gate(history, now),
    )
    if reconnected:
        gates = (
            _done_gate(gates[0], "You made it through no contact and reached out."),
            *gates[1:],
        )
    move_on = profile.goal == "move_on" or protection
    step = 1 if period is None and not reconnected else _first_unmet(gates[:3])
    unlocked = reconnected or (not move_on and all(g.met for g in gates))
    phase = _phase(period is not None, reconnected, move_on, step, unlocked)
    titles = _step_titles(move_on, protection)
    step_info = titles[step - 1]
    pacing = ()
    if reconnected:
        advice = pacing_advice(history.conversations, tz, now, words)
        pacing = tuple(Action(key, text) for key, text in advice)
    milestones = _milestones(history, s) if move_on else ()
    actions = _actions(history, now, today, s, m, gates, phase, step, words, pacing, milestones)
    return Status(
        protection=protection,
        recent_crisis=history.recent_crisis,
        concern=history.concern and not history.recent_crisis,
        safety=history.safety or _flags_only(history),
        step_titles=tuple(st.title.format(**words) for st in titles),
        today=today,
        step=step,
        step_title=step_info.title.format(**words),
        step_why=step_info.why,
        phase=phase,
        goal=profile.goal,
        target_days=profile.no_contact_target_days,
        streaks=s,
        measures=m,
        gates=gates,
        step4_unlocked=unlocked,
        actions=actions,
        pacing=pacing,
        milestones=milestones,
    )


def _flags_only(history: History) -> SafetyState:
    """The safety state when only the flags are known (no times, no words)."""
    return SafetyState(
        crisis=history.recent_crisis,
        concern=history.concern and not history.recent_crisis,
        abuse=history.protection,
    )


def _step_titles(closure: bool, protection: bool) -> list[Step]:
    """The four steps as this person's path names them."""
    steps = list(STEPS)
    if closure:
        steps[3] = CLOSURE_STEP
    if protection:
        steps = [PROTECTION_STEPS.get(st.number, st) for st in steps]
    return steps


def _done_gate(gate: Gate, summary: str) -> Gate:
    return Gate(gate.key, gate.title, True, summary, gate.checks)


def _first_unmet(gates: tuple[Gate, ...]) -> int:
    for number, gate in enumerate(gates, start=1):
        if not gate.met:
            return number
    return 4


def _phase(started: bool, reconnected: bool, move_on: bool, step: int, unlocked: bool) -> str:
    if reconnected:
        return "reconnected"
    if not started:
        return "not_started"
    if move_on and step == 4:
        return "closure"
    return "ready" if unlocked else "working"


def _milestones(history: History, s: Streaks) -> tuple[Milestone, ...]:
    reached = [
        Milestone(f"days_{n}", f"{n} days without contact", s.current >= n)
        for n in t.MOVE_ON_MILESTONES
    ]
    final_letter = any(letter.kind == "final" for letter in history.letters)
    return (*reached, Milestone("final_letter", "A final letter, written and kept", final_letter))


def _actions(
    history: History,
    now: datetime,
    today: date,
    s: Streaks,
    m: Measures,
    gates: tuple[Gate, ...],
    phase: str,
    step: int,
    words: dict[str, str],
    pacing: tuple[Action, ...],
    milestones: tuple[Milestone, ...],
) -> tuple[Action, ...]:
    """Pick up to three actions for today, most important first."""
    target = history.profile.no_contact_target_days
    candidates: list[Action | None] = [_safety_first(history, words)]
    if phase == "not_started":
        candidates.append(_start_action(history, target, words))
    candidates.append(_slip_kindness(s, today))
    if not any(c.day == today for c in history.checkins):
        candidates.append(Action("checkin", "Check in: a minute on how you feel today."))
    if phase == "reconnected":
        candidates.extend(pacing)
    elif phase == "closure":
        candidates.append(_closure_action(milestones, s))
    elif phase == "ready":
        if history.profile.goal == "undecided":
            candidates.append(
                Action(
                    "decide",
                    "Step 4 is open. Before you reach out, ask yourself: do you want {obj} back, "
                    "for you? If the answer is no, you can switch your goal to moving on.".format(
                        **words
                    ),
                )
            )
        candidates.append(_first_text_action(history, words))
    else:
        if phase == "working" and not gates[0].met:
            candidates.append(
                Action(
                    "hold_no_contact",
                    f"{s.current} of {target} days without contact. When the urge to reach out "
                    "comes, log it and write a letter you don't send.",
                )
            )
        candidates.append(_emotion_action(m, words))
        candidates.append(_self_focus_action(history, today))
        if step == 4 and history.profile.goal != "move_on":
            candidates.append(_readiness_action(gates[3]))
    picked = [a for a in candidates if a is not None]
    return tuple(picked[: t.MAX_ACTIONS])


def _safety_first(history: History, words: dict[str, str]) -> Action | None:
    """Safety before strategy: keep help in view while crisis, abuse or concern is on.

    Crisis comes first (help before anything), then abuse, then a gentle word for concern.
    Returns None when none is on.
    """
    if history.recent_crisis:
        return Action(
            "help_is_here",
            "If things feel heavy, please reach out: the Help page has people you can talk to, "
            "any time, and your own safety plan.",
        )
    if history.protection:
        return Action(
            "safety_first",
            "Your safety comes first. If you ever feel unsafe, the people on the Help page are "
            "there for you, day and night.",
        )
    if history.concern:
        return Action(
            "go_gently",
            "Go gently today. If it gets heavy, the Help page has people to talk to, any time.",
        )
    return None


def _start_action(history: History, target: int, words: dict[str, str]) -> Action:
    if history.protection:
        text = "Keep your distance: no contact protects you and gives you space to heal."
    elif history.profile.goal == "move_on":
        text = f"Start no contact: {target} days of space, just for you."
    else:
        text = (
            f"Start your no-contact period: {target} days that give {words['obj']} room to "
            "miss you, and give you room to heal."
        )
    return Action("start_no_contact", text)


def _slip_kindness(s: Streaks, today: date) -> Action | None:
    if not s.slips or (today - s.slips[-1]).days > t.RECENT_SLIP_DAYS:
        return None
    return Action(
        "after_slip",
        f"You were in touch on {s.slips[-1]:%A}. A slip is data, not failure: your streak "
        f"starts again, and your {s.total} contact-free days still count.",
    )


def _emotion_action(m: Measures, words: dict[str, str]) -> Action | None:
    checks = m.social_checks_per_day
    if checks is not None and checks > t.SOCIAL_CHECKS_PER_DAY_MAX:
        return Action(
            "fewer_profile_checks",
            f"Try a day without looking at {words['pos']} profile. Muting helps: out of sight "
            "is easier.",
        )
    if m.crying_days > t.CRYING_DAYS_MAX or (
        m.mood_average is not None and m.mood_average < t.MOOD_AVERAGE_MIN
    ):
        return Action(
            "be_gentle",
            "Be gentle with yourself today: call a friend, get outside, or write down what "
            "you feel.",
        )
    if m.urges_acted > t.URGES_ACTED_MAX:
        return Action(
            "plan_for_urges",
            "Plan for the next urge: who you'll call instead, and the letter you'll write.",
        )
    return None


def _self_focus_action(history: History, today: date) -> Action | None:
    """Suggest the target furthest behind in the current week (or fortnight)."""
    worst: tuple[float, Action] | None = None
    for target in TARGETS:
        wanted = getattr(history.profile, target.column)
        if wanted <= 0:
            continue
        first = today - timedelta(days=target.period_days - 1)
        counts = activity_counts(history.activities, first, today)
        done = sum(counts.get(k, 0) for k in target.kinds)
        if done >= wanted:
            continue
        share = done / wanted
        per = "this fortnight" if target.period_days == 14 else "this week"
        kind = ACTIVITY_LABELS[target.kinds[0]]
        text = f"{target.label.capitalize()}: {done} of {wanted} {per}. How about {kind} today?"
        if worst is None or share < worst[0]:
            worst = (share, Action(f"self_focus_{target.key}", text))
    return worst[1] if worst else None


def _readiness_action(gate: Gate) -> Action | None:
    if gate.met:
        return None
    return Action(
        "readiness_check",
        "Take the readiness check: five honest questions about how you'd feel reaching out.",
    )


def _first_text_action(history: History, words: dict[str, str]) -> Action:
    if not history.memories:
        return Action(
            "add_memory",
            "Add a good memory or an inside joke: your first text will grow from it.",
        )
    favourite = sorted(history.memories, key=lambda mem: mem.kind != "inside_joke")[0]
    return Action(
        "draft_first_text",
        f"Draft a light first text that recalls \u201c{favourite.title}\u201d, and review it "
        "before you send it.",
    )


def _closure_action(milestones: tuple[Milestone, ...], s: Streaks) -> Action:
    letter = next(m for m in milestones if m.key == "final_letter")
    if not letter.reached:
        return Action(
            "final_letter",
            "Write a final letter you keep: everything you'd want to say, for you alone.",
        )
    upcoming = [n for n in t.MOVE_ON_MILESTONES if n > s.current]
    if upcoming:
        return Action(
            "next_milestone",
            f"{upcoming[0] - s.current} days to your next milestone: {upcoming[0]} days "
            "without contact.",
        )
    return Action("keep_going", "A year and more of your own life. Keep choosing it.")
