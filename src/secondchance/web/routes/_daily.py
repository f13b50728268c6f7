"""Helpers the daily pages share (check-in, SOS, letters, contact).

The leading underscore keeps this module out of router discovery: it defines no routes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from secondchance.analysis import safety
from secondchance.analysis.safety import SafetyResult
from secondchance.clock import zone
from secondchance.models import Base, User
from secondchance.services.errors import InputError
from secondchance.web.forms import form_error
from secondchance.web.templating import is_htmx, page

Row = TypeVar("Row", bound=Base)

# Lists in the API are newest first; a default page is a month of daily entries.
API_LIMIT_DEFAULT = 30
API_LIMIT_MAX = 200


def day_words(day: date) -> str:
    """Return a day the way people say it: "Wednesday 18 November" (no leading zero)."""
    return f"{day:%A} {day.day} {day:%B}"


def short_day(day: date) -> str:
    """Return "18 November": enough when the year is plain from the context."""
    return f"{day.day} {day:%B}"


def long_day(day: date) -> str:
    """Return "Friday 25 December 2026"."""
    return f"{day_words(day)} {day.year}"


def local_time(moment: datetime, tz: str) -> str:
    """Return a moment in the person's zone, short enough for a phone: "Wed 18 Nov, 15:00"."""
    local = moment.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def safety_of(*texts: str) -> SafetyResult:
    """Check each text on its own and combine: a flag in any of them raises the flag.

    Texts are checked apart so that words from two fields never run together into a phrase
    that neither contains. Empty texts are skipped; no text at all gives a clear result.
    """
    results = [safety.check(text) for text in texts if text and text.strip()]
    return SafetyResult(
        crisis=any(r.crisis for r in results),
        abuse=any(r.abuse for r in results),
        evidence=tuple(e for r in results for e in r.evidence),
    )


def flagged(result: SafetyResult) -> bool:
    return result.crisis or result.abuse


def newest(session: Session, model: type[Row], user: User, *order: Any, limit: int) -> list[Row]:
    """Return ``user``'s rows of ``model``, newest first by ``order``, at most ``limit``."""
    query = select(model).where(model.user_id == user.id)  # type: ignore[attr-defined]
    return list(session.scalars(query.order_by(*(c.desc() for c in order)).limit(limit)))


def form_again(
    request: Request,
    page_template: str,
    partial: str,
    error: InputError,
    values: dict[str, Any],
    context: dict[str, Any],
) -> Response:
    """Show a form again with the field's reason and what was typed.

    A plain form gets the whole page with status 400. An htmx call gets only the form's partial,
    with status 200, because htmx leaves the page alone on a 4xx answer and the person would
    see nothing happen.
    """
    if is_htmx(request):
        errors = {error.field: error.message}
        return page(request, partial, {**context, "errors": errors, "values": values})
    return form_error(request, page_template, error, values, context)


class HelpLineOut(BaseModel):
    name: str
    contact: str
    kind: str = Field(description="crisis, abuse or emergency")


class SafetyOut(BaseModel):
    """What the safety check saw in the words just saved. When a flag is up, ``help`` holds
    the lines for the person's country; show them first, calmly."""

    crisis: bool
    abuse: bool
    help: list[HelpLineOut] = Field(default_factory=list)


def safety_out(request: Request, result: SafetyResult, country: str) -> SafetyOut:
    """Return the API's safety part; help lines only when a flag is up."""
    lines: list[HelpLineOut] = []
    if flagged(result):
        found = request.app.state.help_lines(country)
        chosen = list(found["crisis"]) if result.crisis else []
        if result.abuse:
            chosen += [line for line in found["abuse"] if line not in chosen]
        lines = [HelpLineOut(name=r.name, contact=r.contact, kind=r.kind) for r in chosen]
    return SafetyOut(crisis=result.crisis, abuse=result.abuse, help=lines)
