"""Step 4's conversation log, once talking again: the page, its form and the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from secondchance.clock import zone
from secondchance.services import validate as v
from secondchance.services.entries import can_undo
from secondchance.services.errors import InputError
from secondchance.services.reconnect import conversation_of, log_conversation
from secondchance.services.replies import conversation_reply
from secondchance.services.rows import Conversation
from secondchance.services.status import standing
from secondchance.web.deps import DB, ApiUser, CurrentProfile, CurrentUser, Now, csrf_protect
from secondchance.web.forms import checkbox, form_error
from secondchance.web.routes._daily import SafetyOut, safety_of, safety_out
from secondchance.web.routes._reply import ReplyOut as LoggedReplyOut
from secondchance.web.routes._reply import reply_out
from secondchance.web.routes._step4 import NOTE_MAX, Where, base_context, where
from secondchance.web.routes.step4 import AdviceOut
from secondchance.web.templating import offer, page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])
api = APIRouter(tags=["step 4"])


def _talk_context(here: Where) -> dict[str, Any]:
    tz = zone(here.profile.timezone)
    recent = sorted(here.history.conversations, key=lambda c: c.started_at, reverse=True)
    return {
        **base_context(here, "Talking again"),
        "conversations": [(c, c.started_at.astimezone(tz)) for c in recent],
        "now_local": here.local_now.strftime("%Y-%m-%dT%H:%M"),
    }


TALK_DEFAULTS = {"started_by": "you", "messages": "1", "ex_replied": True, "ended_by": ""}


@router.get("/step4/talk")
def talk_page(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    logged: Annotated[int | None, Query()] = None,
) -> Response:
    """The conversation log; ``?logged=ID`` (after the form) answers that conversation too."""
    here = where(session, user, moment)
    if here.closure:
        return redirect("/step4")
    context = {**_talk_context(here), "values": dict(TALK_DEFAULTS)}
    if logged is not None:
        row = conversation_of(session, user, logged)
        context |= {
            "logged": True,
            "reply": conversation_reply(session, user, row, moment),
            "talk_undo": talk_undo(row, moment),
        }
    return page(request, "pages/step4_talk.html", context)


def talk_undo(row: Conversation, moment: datetime) -> dict[str, Any] | None:
    """The Undo offered for a conversation just logged (None once the moment has passed)."""
    return offer(("conversation", row.id)) if can_undo("conversation", row, moment) else None


@router.post("/step4/talk")
def talk_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: CurrentProfile,
    moment: Now,
    started_by: Annotated[str, Form(max_length=10)] = "",
    started_at: Annotated[str, Form(max_length=40)] = "",
    messages: Annotated[str, Form(max_length=20)] = "1",
    ex_replied: Annotated[str | None, Form(max_length=10)] = None,
    ended_by: Annotated[str, Form(max_length=10)] = "",
    relationship_talk: Annotated[str | None, Form(max_length=10)] = None,
    note: Annotated[str, Form(max_length=NOTE_MAX * 2)] = "",
) -> Response:
    values = {
        "started_by": started_by,
        "started_at": started_at,
        "messages": messages,
        "ex_replied": checkbox(ex_replied),
        "ended_by": ended_by,
        "relationship_talk": checkbox(relationship_talk),
        "note": note,
    }
    try:
        when = v.local_moment("started_at", started_at, profile.timezone) if started_at else None
        # All or nothing (the service keeps it in a savepoint): a refused form leaves nothing
        # changed when this request's transaction commits.
        row = log_conversation(
            session,
            user,
            moment,
            started_by=started_by,
            messages=messages,  # type: ignore[arg-type]  # the service parses and explains
            ex_replied=values["ex_replied"],
            ended_by=ended_by or None,
            relationship_talk=values["relationship_talk"],
            note=note,
            started_at=when,
        )
    except InputError as error:
        here = where(session, user, moment)
        return form_error(request, "pages/step4_talk.html", error, values, _talk_context(here))
    found = safety_of(request, session, user, note)
    if found.flagged:
        here = where(session, user, moment)
        context = {**_talk_context(here), "values": dict(TALK_DEFAULTS), "safety": found}
        reply = conversation_reply(session, user, row, moment)
        done = {"logged": True, "reply": reply, "talk_undo": talk_undo(row, moment)}
        return page(request, "pages/step4_talk.html", {**context, **done})
    # The log again, answering this conversation: a reload shows it, and logs nothing twice.
    return redirect(f"/step4/talk?logged={row.id}")


class ConversationIn(BaseModel):
    started_by: Literal["you", "ex"]
    messages: int = Field(1, ge=1, le=10_000, description="About how many messages")
    ex_replied: bool = True
    ended_by: Literal["you", "ex"] | None = None
    relationship_talk: bool = Field(False, description="Did the relationship come up?")
    note: str = Field("", max_length=NOTE_MAX)
    started_at: datetime | None = Field(None, description="With a time zone; default now")


class ConversationOut(BaseModel):
    id: int
    started_at: datetime
    started_by: str
    messages: int
    ex_replied: bool
    ended_by: str | None
    relationship_talk: bool
    note: str


class ConversationLogged(ConversationOut):
    pacing: list[AdviceOut]
    safety: SafetyOut
    reply: LoggedReplyOut = Field(description="A few words back about how this one went")


def conversation_out(row: Conversation) -> ConversationOut:
    return ConversationOut(
        id=row.id,
        started_at=row.started_at,
        started_by=row.started_by,
        messages=row.messages,
        ex_replied=row.ex_replied,
        ended_by=row.ended_by,
        relationship_talk=row.relationship_talk,
        note=row.note,
    )


@api.post(
    "/conversations",
    response_model=ConversationLogged,
    status_code=201,
    summary="Log a conversation (only once step 4 is open; the first one ends no contact)",
)
def conversation_api(
    body: ConversationIn, request: Request, session: DB, user: ApiUser, moment: Now
) -> ConversationLogged:
    row = log_conversation(session, user, moment, **body.model_dump())
    here = where(session, user, moment)
    return ConversationLogged(
        **conversation_out(row).model_dump(),
        pacing=[AdviceOut(**a.to_dict()) for a in here.state.pacing],
        safety=safety_out(safety_of(request, session, user, body.note)),
        reply=reply_out(conversation_reply(session, user, row, moment)),
    )


@api.get(
    "/conversations",
    response_model=list[ConversationOut],
    summary="Your conversations from the last two weeks, newest first",
)
def conversations_api(session: DB, user: ApiUser, moment: Now) -> list[ConversationOut]:
    history, _ = standing(session, user, moment)
    recent = sorted(history.conversations, key=lambda c: c.started_at, reverse=True)
    return [conversation_out(c) for c in recent]
