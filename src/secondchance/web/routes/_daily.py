"""Helpers the daily pages share (check-in, SOS, letters, contact).

The leading underscore keeps this module out of router discovery: it defines no routes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.analysis.safety import SafetyResult
from secondchance.clock import zone
from secondchance.services import safety_notice
from secondchance.services.errors import InputError
from secondchance.services.people import Person
from secondchance.services.safety_notice import SafetyNotice
from secondchance.web.forms import form_error
from secondchance.web.templating import is_htmx, page

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


def help_overrides(request: Request) -> dict[str, Any] | None:
    """The app's own extra help lines (``help_lines_file``), or None."""
    return request.app.state.help_overrides


def safety_of(request: Request, session: Session, user: Person, *texts: str) -> SafetyNotice:
    """The safety notice for words just saved, as services/safety_notice decides it (the CLI
    asks the same function). Each text is read on its own; none at all gives level "none"."""
    return safety_notice.notice_in(session, user, *texts, overrides=help_overrides(request))


def notice_of(
    request: Request, session: Session, user: Person, found: SafetyResult
) -> SafetyNotice:
    """The notice for a reading a service already made (the journal's, say)."""
    return safety_notice.notice_of(session, user, found, overrides=help_overrides(request))


def flagged(notice: SafetyNotice) -> bool:
    return notice.flagged


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
    country: str | None = Field(default=None, description="ISO code; null for a line anywhere")


class SafetyEvidenceOut(BaseModel):
    about: str = Field(description="What it supports, e.g. crisis.passive or abuse.control")
    quote: str = Field(description="The exact words: text[start:end]")
    start: int
    end: int


class SafetyOut(BaseModel):
    """What the safety check saw in the words just saved (or read): the one safety shape of
    the API, for every kind of entry, the review and the story. When crisis or abuse is up,
    ``help`` holds the lines for the person's country: show them first, calmly. ``concern``
    alone (heavy words, no sign of risk) asks for a gentle word, not a list."""

    level: str = Field(description="crisis, abuse, concern or none: the highest that is up")
    crisis: bool
    concern: bool
    abuse: bool
    evidence: list[SafetyEvidenceOut] = Field(default_factory=list)
    help: list[HelpLineOut] = Field(default_factory=list)


def safety_out(notice: SafetyNotice) -> SafetyOut:
    """Return the API's safety part; its help lines (only when a flag is up) are the notice's."""
    return SafetyOut(**notice.to_dict())
