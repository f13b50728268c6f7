"""Fix a mistake through the API: PATCH (change some fields) and DELETE for every kind of entry.

A PATCH is checked by the same model that checks a new entry: the fields sent are laid over the
entry as it is, the whole is validated, and only the fields sent are changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from secondchance.clock import local_date
from secondchance.services.entries import delete_entry, edit_entry, get_entry
from secondchance.services.errors import InputError
from secondchance.services.people import profile_of
from secondchance.web.deps import DB, ApiUser, Now
from secondchance.web.routes.checkin import CheckInIn, checkin_out
from secondchance.web.routes.focus import ActivityIn, activity_out
from secondchance.web.routes.letters import LetterIn, letter_out
from secondchance.web.routes.memories import MemoryIn, memory_out
from secondchance.web.routes.nocontact import ContactIn, contact_out
from secondchance.web.routes.sos import UrgeIn, urge_out
from secondchance.web.routes.step4_talk import ConversationIn, conversation_out

api = APIRouter(tags=["fix a mistake"])


def _same(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _memory_as_sent(row: Any) -> dict[str, Any]:
    return {
        "title": row.title,
        "text": row.body,
        "tags": list(row.tags),
        "inside_joke": row.kind == "inside_joke",
    }


def _memory_fields(sent: dict[str, Any]) -> dict[str, Any]:
    names = {"title": "title", "text": "body", "tags": "tags"}
    fields = {names[k]: value for k, value in sent.items() if k in names}
    if "inside_joke" in sent:
        fields["kind"] = "inside_joke" if sent["inside_joke"] else "memory"
    return fields


@dataclass(frozen=True)
class Kind:
    """One kind of entry as the API sees it: its path, its create model, and how its rows
    look as that model (``as_sent``) and as a response (``out``)."""

    name: str
    path: str
    model: type[BaseModel]
    as_sent: Callable[[Any], dict[str, Any]]
    out: Callable[[Any, Any], Any]
    to_fields: Callable[[dict[str, Any]], dict[str, Any]] = dict


def _with_id(out: Callable[[Any], BaseModel]) -> Callable[[Any, Any], dict[str, Any]]:
    return lambda row, _today: {"id": row.id, **out(row).model_dump()}


KINDS = [
    Kind(
        "contact",
        "contacts",
        ContactIn,
        lambda r: _same(r, ("direction", "channel", "answered", "note", "at")),
        _with_id(contact_out),
    ),
    Kind(
        "urge",
        "urges",
        UrgeIn,
        lambda r: _same(r, ("intensity", "outcome", "trigger", "instead", "at")),
        _with_id(urge_out),
    ),
    Kind(
        "checkin",
        "checkins",
        CheckInIn,
        lambda r: {
            **_same(r, ("mood", "cried", "social_checks", "slept_well", "note", "day")),
            "emotions": list(r.emotions),
        },
        _with_id(checkin_out),
    ),
    Kind(
        "activity",
        "activities",
        ActivityIn,
        lambda r: _same(r, ("kind", "note", "day")),
        _with_id(activity_out),
    ),
    Kind(
        "conversation",
        "conversations",
        ConversationIn,
        lambda r: _same(
            r,
            (
                "started_by",
                "messages",
                "ex_replied",
                "ended_by",
                "relationship_talk",
                "note",
                "started_at",
            ),
        ),
        _with_id(conversation_out),
    ),
    Kind("memory", "memories", MemoryIn, _memory_as_sent, _with_id(memory_out), _memory_fields),
    Kind(
        "letter",
        "letters",
        LetterIn,
        lambda r: _same(r, ("title", "body", "sealed_until", "kind")),
        lambda row, today: letter_out(row, today).model_dump(),
    ),
]


def _checked(kind: Kind, row: Any, sent: dict[str, Any]) -> dict[str, Any]:
    """Validate ``sent`` over the entry as it is with the create model; return the service
    fields for what was sent (422 naming the field otherwise, nothing changed)."""
    unknown = [name for name in sent if name not in kind.model.model_fields]
    if unknown:
        raise InputError(
            unknown[0], f"isn't a field; send any of: {', '.join(kind.model.model_fields)}"
        )
    if kind.name == "checkin" and "day" in sent:
        raise InputError("day", "a check-in belongs to its day; change what it says instead")
    try:
        # A stored null (answered, for contact you started) is the model's default.
        kept = {name: value for name, value in kind.as_sent(row).items() if value is not None}
        checked = kind.model.model_validate({**kept, **sent})
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None
    return kind.to_fields({name: getattr(checked, name) for name in sent})


def _add_routes(kind: Kind) -> None:
    def patch(
        request: Request,
        session: DB,
        user: ApiUser,
        moment: Now,
        # Named <kind>_id in the path, like the other routes with an id of that table.
        entry_id: int = Path(alias=f"{kind.name}_id"),
        body: dict[str, Any] = Body(..., description=f"Any fields of {kind.model.__name__}"),
    ) -> Any:
        fields = _checked(kind, get_entry(session, user, kind.name, entry_id), body)
        row = edit_entry(session, user, kind.name, entry_id, moment, **fields)
        today = local_date(moment, profile_of(session, user).timezone)
        return jsonable_encoder(kind.out(row, today))

    def delete(
        session: DB, user: ApiUser, entry_id: int = Path(alias=f"{kind.name}_id")
    ) -> Response:
        delete_entry(session, user, kind.name, entry_id)
        return Response(status_code=204)

    not_found = {404: {"description": f"No such {kind.name} (someone else's looks the same)"}}
    api.add_api_route(
        f"/{kind.path}/{{{kind.name}_id}}",
        patch,
        methods=["PATCH"],
        summary=f"Change a {kind.name}: send only the fields to change",
        responses=not_found,
        operation_id=f"patch_{kind.name}",
    )
    if kind.name in ("contact", "memory"):
        return  # their DELETE is older and lives beside them
    api.add_api_route(
        f"/{kind.path}/{{{kind.name}_id}}",
        delete,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        summary=f"Delete a {kind.name} logged by mistake",
        responses=not_found,
        operation_id=f"delete_{kind.name}",
    )


for _kind in KINDS:
    _add_routes(_kind)
