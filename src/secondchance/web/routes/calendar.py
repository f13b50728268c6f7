"""The private calendar feed, ``/calendar/<secret>.ics``: no sign-in, the secret is the key."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from secondchance.services import calendar
from secondchance.web.deps import DB, Now

router = APIRouter(include_in_schema=False)


@router.get("/calendar/{secret}.ics")
def calendar_feed(request: Request, secret: str, session: DB, moment: Now) -> Response:
    body = calendar.feed(session, secret, moment, str(request.base_url))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="secondchance.ics"',
            "X-Robots-Tag": "noindex",
        },
    )
