"""Templates, and what every page needs to know (who is signed in, help lines, the notice)."""

from __future__ import annotations

import re
import secrets
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from secondchance.services.validate import LIMITS

TEMPLATES = Path(__file__).parent / "templates"
NOTICE_COOKIE = "sc_notice"
# After a plain form (no script) logs an entry, the page it lands on offers Undo for it: the
# cookie carries only "<kind>-<id>"; the Undo itself checks the owner and the time again.
UNDO_COOKIE = "sc_undo"
# Pages an Undo may go back to instead of the entry's list (a letter kept from SOS: SOS).
UNDO_BACK = frozenset({"/sos"})
_UNDO_VALUE = re.compile(r"^(contact|urge|checkin|activity|conversation|memory|letter)-(\d{1,18})$")
THEME_COOKIE = "sc_theme"

# Notices shown once after a redirect. The cookie carries only the key, never free text.
NOTICES = {
    "welcome": "Welcome. Take it one day at a time; we'll be here each one.",
    "signed_out": "You're signed out.",
    "demo_started": "This is your own copy of an example, six weeks in. Change anything you "
    "like: no one else sees it, and it disappears after a day.",
    "demo_busy": "Too many demos were started from here today. Please try again tomorrow.",
    "password_reset": "Your password is changed and you're signed in. That code is used up.",
    "password_reset_few_codes": "Your password is changed and you're signed in. You have few "
    "recovery codes left: make new ones in Settings.",
    "codes_saved": "Your recovery codes are ready if you ever need them.",
    "checkin_saved": "Check-in saved. Thank you for showing up for yourself.",
    "checkin_updated": "Today's check-in is updated.",
    "checkin_past_saved": "Saved. That day is filled in now.",
    "urge_logged": "Logged. You rode it out, and the next one will be easier.",
    "urge_acted": "Logged. Urges pass, and this one did too. Be gentle with yourself tonight.",
    "letter_kept": "Your letter is kept. Nothing was sent.",
    "letter_sealed": "Your letter is sealed and kept until its day. Nothing was sent.",
    "activity_logged": "Logged. Good for you.",
    "memory_kept": "Memory kept.",
    "memory_removed": "Memory removed.",
    "contact_logged": "Logged. Your streak holds.",
    "slip_logged": "Logged. A slip is data, not failure: your contact-free days still count.",
    "contact_let_be": "Logged. You let it be, and that took strength: your streak holds.",
    "contact_noted": "Logged. It's kept in your history.",
    "contact_deleted": "Deleted. Your streaks are counted again without it.",
    "entry_changed": "Changed. Your streaks and steps follow from it.",
    "entry_deleted": "Deleted. Your streaks and steps are counted again without it.",
    "undone": "Undone — nothing was kept. Everything is as it was before.",
    "undo_too_late": "That was a while ago, so it stays: you can still change or delete it below.",
    "profile_saved": "Saved.",
    "targets_saved": "Targets saved.",
    "plan_saved": "Your safety plan is saved.",
    "readiness_saved": "Thank you for answering honestly.",
    "conversation_logged": "Conversation logged.",
    "no_contact_started": "No contact has begun. You can do this.",
    "password_changed": "Password changed. Other devices are signed out.",
    "signed_out_everywhere": "Signed out everywhere else.",
    "token_revoked": "Token revoked.",
    "imported": "Imported. Everything is in.",
    "story_saved": "Thank you for telling your story.",
    "no_contact_target_saved": "Your no-contact target is updated. You're already on your way.",
    "journal_saved": "Kept in your journal.",
    "journal_updated": "Your journal entry is updated.",
    "journal_deleted": "That journal entry is deleted.",
    "safety_cleared": "Done. Help is still one tap away, whenever you need it.",
    "already_done": "That was done already: one tap is enough.",
    "reminders_saved": "Reminders saved.",
    "calendar_link_new": "Here is your new calendar link. The old one no longer works.",
    "devices_forgotten": "Done. No device will get reminders until you allow them again.",
}


# The first phone number in a help line's text ("Call 116 123 (free, any time)" -> 116 123).
_NUMBER = re.compile(r"\+?\d(?:[\d \-]*\d)?")


def dial(contact: str) -> str:
    """Return the digits to put in a ``tel:`` link for a help line, or "" if it has no number.

    Help is one tap away: a person in crisis shouldn't have to copy a number by hand.
    """
    found = _NUMBER.search(contact or "")
    return re.sub(r"[ \-]", "", found.group()) if found else ""


def article(number: int) -> str:
    """Return "a" or "an" for a number as it is said: "an 8", "an 11", "an 18", "a 10"."""
    spoken = str(abs(int(number)))
    sounds_like_vowel = spoken.startswith("8") or (
        spoken in {"11", "18"} or (len(spoken) in (5, 6) and spoken[:2] in {"11", "18"})
    )
    return "an" if sounds_like_vowel else "a"


@pass_context
def form_guard(context: Context) -> Markup:
    """Return the hidden fields every POST form carries: ``{{ form_guard() }}``.

    Put it first inside each ``<form method="post">`` (keep this name: other templates rely on
    it). It gives the CSRF token and a fresh random ``form_key``, new on every rendering, so a
    form shown again after a save or an error has a new key. The server handles each key once
    (web/deps.py ``form_once``): the same form posted twice, by a double tap or a retry, is one
    entry.
    """
    token = escape(context.get("csrf_token", ""))
    key = secrets.token_urlsafe(16)
    return Markup(
        f'<input type="hidden" name="csrf_token" value="{token}">'
        f'<input type="hidden" name="form_key" value="{key}">'
    )


def has_errors(context: dict[str, Any]) -> bool:
    """True when a page shows a form back with its errors ("errors", "urge_errors", "error")."""
    return any(value for name, value in context.items() if name.endswith(("errors", "error")))


@cache
def make_templates(*, auto_reload: bool = True) -> Jinja2Templates:
    """The templates; ``auto_reload`` (development) looks for edited files on every render.

    One set per process, shared by every app built in it: the templates hold nothing of an
    app's own, and compiling them again for each app (each test builds one) cost 20-130 ms on
    the first view of every page.
    """
    templates = Jinja2Templates(directory=str(TEMPLATES))
    # Outside development the files never change under a running server, and checking every
    # template's modification time on every page was 14% of Today's samples under load.
    templates.env.auto_reload = auto_reload
    templates.env.filters["dial"] = dial
    templates.env.filters["article"] = article
    templates.env.globals["notices"] = NOTICES
    templates.env.globals["limits"] = LIMITS
    templates.env.globals["limit_words"] = limit_words
    templates.env.globals["form_guard"] = form_guard
    return templates


def limit_words(name: str) -> str:
    """Say a field's limit kindly, e.g. "up to 5,000 characters"; long ones also in words."""
    n = LIMITS[name]
    said = f"up to {n:,} characters"
    if n >= 20_000:
        # Characters mean little at this size; words (about six characters each) a person can
        # picture.
        said += f", about {round(n / 6, -3):,.0f} words: plenty of room"
    return said


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render a template with the shared context; clears a shown notice."""
    notice_key = request.cookies.get(NOTICE_COOKIE)
    undo_value = request.cookies.get(UNDO_COOKIE)
    base = _shared(request, notice_key, undo_value)
    if status >= 400 or has_errors(context or {}):
        # The form comes back to be corrected: its key must stay free (deps.form_once).
        request.state.form_failed = True
    response = request.app.state.templates.TemplateResponse(
        request, name, {**base, **(context or {})}, status_code=status
    )
    if notice_key:
        response.delete_cookie(NOTICE_COOKIE, path="/")
    if undo_value:
        response.delete_cookie(UNDO_COOKIE, path="/")
    return response


def part(request: Request, name: str, context: dict[str, Any]) -> Markup:
    """Render ``name`` with the shared context, as markup for a page to put in its own."""
    base = _shared(request, request.cookies.get(NOTICE_COOKIE), request.cookies.get(UNDO_COOKIE))
    template = request.app.state.templates.get_template(name)
    return Markup(template.render({**base, **context}))


def _shared(request: Request, notice_key: str | None, undo_value: str | None) -> dict[str, Any]:
    """What every template may show: who is signed in, the notice, the theme, help lines."""
    state = request.state
    user = getattr(state, "user", None)
    theme = request.cookies.get(THEME_COOKIE)
    return {
        "csrf_token": getattr(state, "csrf_token", ""),
        "user": user,
        "profile": getattr(state, "profile", None),
        "notice": NOTICES.get(notice_key or ""),
        "notice_undo": undo_offer(undo_value, request.url.path) if user else None,
        "theme": theme if theme in {"light", "dark"} else "auto",
        "quick_exit_url": request.app.state.settings.quick_exit_url,
        "help_lines": request.app.state.help_lines(getattr(state, "country", None)),
        "path": request.url.path,
    }


def undo_offer(value: str | None, path: str) -> dict[str, Any] | None:
    """Return the Undo the page at ``path`` offers after a plain form (see ``offer``), or None."""
    found = _UNDO_VALUE.match(value or "")
    if not found:
        return None
    return offer((found.group(1), int(found.group(2))), back=path if path in UNDO_BACK else "")


def offer(undo: tuple[str, int] | None, back: str = "") -> dict[str, Any] | None:
    """Return the ``undo`` context the Undo partial takes, for (kind, id) or None.

    ``back``: the page to return to after Undo, when not the entry's own list.
    """
    return {"kind": undo[0], "id": undo[1], "back": back} if undo else None


def redirect(
    url: str, notice: str | None = None, undo: tuple[str, int] | None = None
) -> RedirectResponse:
    """A 303 to ``url`` after a form, with an optional one-time notice.

    ``undo`` (kind, id): the page it lands on offers "Undo" for that entry, once, beside the
    notice, so a wrong tap is as easy to take back without script as with it.
    """
    response = RedirectResponse(url, status_code=303)
    if notice:
        response.set_cookie(NOTICE_COOKIE, notice, max_age=60, httponly=True, samesite="lax")
    if undo:
        kind, entry_id = undo
        response.set_cookie(
            UNDO_COOKIE, f"{kind}-{entry_id}", max_age=60, httponly=True, samesite="lax"
        )
    return response


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
