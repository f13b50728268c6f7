"""The memory bank: good memories and inside jokes, the raw material of a first text."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from secondchance.services import safety_state
from secondchance.services import validate as v
from secondchance.services.entries import can_undo
from secondchance.services.errors import InputError
from secondchance.services.memories import add_memory, list_memories, memory_of, remove_memory
from secondchance.services.rows import Memory, Person
from secondchance.services.safety_notice import SafetyNotice
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.forms import checkbox, form_error
from secondchance.web.routes._daily import SafetyOut, safety_of, safety_out
from secondchance.web.templating import is_htmx, offer, page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["memories"])

# Generous form limits: the service's own limits are smaller and explain themselves next to
# the field; these only stop a runaway paste before it reaches the service.
FORM_MAX = 20_000


def memory_safety(
    request: Request, session: Session, user: Person, title: str, body: str, tags: str | list[str]
) -> SafetyNotice:
    """Return the safety notice over everything typed for one memory (title, story and tags,
    read together as one text, as the service remembers it)."""
    tag_text = tags if isinstance(tags, str) else ", ".join(tags)
    return safety_of(request, session, user, "\n".join((title, body, tag_text)))


def split_tags(raw: str) -> list[str]:
    """Return comma-separated tags as a list; blanks are dropped, the service cleans the rest."""
    return [tag for tag in (part.strip() for part in raw.split(",")) if tag]


def _list_context(session: DB, user: CurrentUser, moment: datetime) -> dict[str, Any]:
    """The list, newest first, and whether no contact is protection (then nothing here speaks
    of a first text: the memories are the person's own, to keep)."""
    return {
        "title": "Memory bank",
        "memories": list(reversed(list_memories(session, user))),
        "protection": safety_state.current(session, user, moment).abuse,
    }


@router.get("/memories")
def memories_page(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, moment: Now
) -> Response:
    context = {**_list_context(session, user, moment), "values": {}}
    return page(request, "pages/memories.html", context)


@router.post("/memories")
def add_memory_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    title: Annotated[str, Form(max_length=FORM_MAX)] = "",
    body: Annotated[str, Form(max_length=FORM_MAX)] = "",
    tags: Annotated[str, Form(max_length=FORM_MAX)] = "",
    inside_joke: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    values = {"title": title, "body": body, "tags": tags, "inside_joke": checkbox(inside_joke)}
    try:
        row = add_memory(
            session,
            user,
            moment,
            title=title,
            body=body,
            tags=split_tags(v.text("tags", tags, max_length=v.LIMITS["memory_tags"])),
            kind="inside_joke" if values["inside_joke"] else "memory",
        )
    except InputError as error:
        return form_error(
            request, "pages/memories.html", error, values, _list_context(session, user, moment)
        )
    found = memory_safety(request, session, user, title, body, tags)
    # Saved by mistake (or twice over)? The page it lands on offers Undo for a few minutes.
    undo = ("memory", row.id) if can_undo("memory", row, moment) else None
    if found.crisis or found.abuse:
        # Help first, at once: the memory is kept, and the page says so under the help.
        context = {
            **_list_context(session, user, moment),
            "values": {},
            "safety": found,
            "kept": True,
            "notice_undo": offer(undo),
        }
        return page(request, "pages/memories.html", context)
    return redirect("/memories", "memory_kept", undo=undo)


@router.get("/memories/{memory_id}/remove")
def confirm_remove(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, memory_id: int
) -> Response:
    """Ask before removing. With htmx, only the question is returned, to replace the item."""
    memory = memory_of(session, user, memory_id)
    if is_htmx(request):
        return page(request, "partials/_memory_confirm.html", {"memory": memory})
    return page(request, "pages/memories_remove.html", {"title": "Remove memory", "memory": memory})


@router.get("/memories/{memory_id}")
def memory_item(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, memory_id: int
) -> Response:
    """One memory: the list item (htmx "keep it" puts it back), or the bank without JS."""
    memory = memory_of(session, user, memory_id)
    if is_htmx(request):
        return page(request, "partials/_memory_item.html", {"memory": memory})
    return redirect(f"/memories#memory-{memory.id}")


@router.post("/memories/{memory_id}/remove")
def remove_memory_form(
    request: Request, session: DB, user: CurrentUser, profile: CurrentProfile, memory_id: int
) -> Response:
    remove_memory(session, user, memory_id)
    return redirect("/memories", "memory_removed")


# --------------------------------------------------------------------------------------------
# JSON API
# --------------------------------------------------------------------------------------------


class MemoryIn(BaseModel):
    """A good memory or an inside joke to build a first text from."""

    title: str = Field(..., max_length=v.LIMITS["memory_title"], description="A short name for it")
    text: str = Field("", max_length=v.LIMITS["memory_body"], description="What happened")
    tags: list[str] = Field(default_factory=list, max_length=30, description="Words it brings up")
    inside_joke: bool = Field(False, description="An inside joke rather than a memory")


class MemoryOut(BaseModel):
    id: int
    created_at: datetime
    title: str
    text: str
    tags: list[str]
    inside_joke: bool


class MemoryCreated(MemoryOut):
    safety: SafetyOut


def memory_out(memory: Memory) -> MemoryOut:
    return MemoryOut(
        id=memory.id,
        created_at=memory.created_at,
        title=memory.title,
        text=memory.body,
        tags=list(memory.tags),
        inside_joke=memory.kind == "inside_joke",
    )


@api.get("/memories", response_model=list[MemoryOut], summary="Your memory bank, newest first")
def list_memories_api(session: DB, user: ApiUser) -> list[MemoryOut]:
    return [memory_out(m) for m in reversed(list_memories(session, user))]


@api.post(
    "/memories",
    response_model=MemoryCreated,
    status_code=201,
    summary="Keep a good memory or an inside joke",
)
def add_memory_api(
    body: MemoryIn, request: Request, session: DB, user: ApiUser, moment: Now
) -> MemoryCreated:
    memory = add_memory(
        session,
        user,
        moment,
        title=body.title,
        body=body.text,
        tags=body.tags,
        kind="inside_joke" if body.inside_joke else "memory",
    )
    found = memory_safety(request, session, user, body.title, body.text, body.tags)
    return MemoryCreated(**memory_out(memory).model_dump(), safety=safety_out(found))


@api.delete(
    "/memories/{memory_id}",
    status_code=204,
    summary="Remove a memory",
    response_class=Response,
    responses={404: {"description": "No such memory (someone else's looks the same)"}},
)
def remove_memory_api(memory_id: int, session: DB, user: ApiUser) -> Response:
    remove_memory(session, user, memory_id)
    return Response(status_code=204)
