"""The person's own safety plan: warning signs, what calms them, reasons, people to call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from secondchance.models import SafetyPlan, User
from secondchance.services import safety_state
from secondchance.services import validate as v

PARTS = ("warning_signs", "calming", "reasons", "people")
MAX_PART = v.LIMITS["safety_plan_part"]


def get_plan(session: Session, user: User) -> SafetyPlan | None:
    return session.get(SafetyPlan, user.id)


def save_plan(session: Session, user: User, parts: dict[str, str], now: datetime) -> SafetyPlan:
    """Save the parts given (others stay) and return the plan. Each part is free text, one item
    per line.

    Signs of abuse in a changed part are remembered (``safety_state``), so the program becomes
    protection. Crisis words are not: naming one's warning signs ("when I start thinking I'd be
    better off gone") is the plan doing its work, not a new crisis.
    """
    cleaned = {k: v.text(k, parts[k], max_length=MAX_PART) for k in PARTS if k in parts}
    plan = session.get(SafetyPlan, user.id)
    if plan is None:
        plan = SafetyPlan(user_id=user.id, updated_at=now, **dict.fromkeys(PARTS, ""))
        session.add(plan)
    changed = [value for key, value in cleaned.items() if getattr(plan, key) != value]
    for key, value in cleaned.items():
        setattr(plan, key, value)
    plan.updated_at = now
    session.flush()
    safety_state.record_texts(session, user, "safety_plan", None, now, *changed, kinds=("abuse",))
    return plan


def items(text: str) -> list[str]:
    """The plan's lines, blank ones dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]
