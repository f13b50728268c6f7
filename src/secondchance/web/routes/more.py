"""More: a plain menu to every part of the app that the bottom tabs don't reach."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from secondchance.program.steps import words_for
from secondchance.web.deps import CurrentProfile, csrf_protect
from secondchance.web.templating import page

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


@dataclass(frozen=True)
class Item:
    href: str
    label: str
    hint: str  # may use {ex}, {subj}, {obj}, {pos}


MENU: tuple[Item, ...] = (
    Item("/lessons", "Lessons and journal", "A short lesson for each day, and your answers"),
    Item("/letters", "Letters", "Words you keep instead of sending them"),
    Item("/memories", "Memories", "Good times and inside jokes, where a first text comes from"),
    Item("/step4", "Step 4: reach out again", "Your gates, the readiness check and a first text"),
    Item("/insights", "Insights", "Mood, urges and your contact-free days, over time"),
    Item("/contact", "Log contact", "If you and {ex} were in touch, note it here"),
    Item("/story", "My story", "What happened, and how a coach reads it"),
    Item("/help", "Help and safety plan", "Lines to call now, and your own plan"),
    Item("/settings", "Settings", "Profile, help lines, your data, password, tokens"),
    Item("/privacy", "Privacy and security", "What is kept, where, and who can see it"),
)


@router.get("/more")
def more(request: Request, profile: CurrentProfile) -> Response:
    words = words_for(profile.ex_name, profile.ex_pronouns)
    items = [(item.href, item.label, item.hint.format(**words)) for item in MENU]
    return page(request, "pages/more.html", {"title": "More", "items": items})
