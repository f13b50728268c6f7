"""The privacy policy, in plain words, and /.well-known/security.txt (RFC 9116): where to report
a security problem. Both are public: they are read before anyone has an account."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from secondchance import clock
from secondchance.web.deps import optional_user
from secondchance.web.templating import page

router = APIRouter()


def contact_url(request: Request) -> str | None:
    """The operator's security contact as a URI (mailto: for an address), or None if unset."""
    contact = request.app.state.settings.security_contact.strip()
    if not contact:
        return None
    if contact.startswith(("mailto:", "https://", "http://", "tel:")):
        return contact
    return f"mailto:{contact}" if "@" in contact else contact


@router.get("/privacy", include_in_schema=False)
def privacy(request: Request, user=Depends(optional_user)) -> Response:  # type: ignore[no-untyped-def]
    contact = request.app.state.settings.security_contact.strip() or None
    return page(
        request,
        "pages/privacy.html",
        {"title": "Privacy and security", "contact": contact, "contact_url": contact_url(request)},
    )


@router.get("/.well-known/security.txt", include_in_schema=False)
def security_txt(request: Request) -> Response:
    """Contact (the operator's, or this server's privacy page when none is set), an Expires a
    year ahead (RFC 9116 asks for less than a year, so it is renewed on every request), the
    policy and the canonical address."""
    base = str(request.base_url).rstrip("/")
    expires = (clock.now() + timedelta(days=364)).replace(microsecond=0)
    lines = [
        f"Contact: {contact_url(request) or base + '/privacy#report'}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        f"Policy: {base}/privacy#report",
        "Preferred-Languages: en",
        f"Canonical: {base}/.well-known/security.txt",
    ]
    return PlainTextResponse("\n".join(lines) + "\n")
