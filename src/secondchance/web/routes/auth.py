"""Sign up, sign in, sign out, and the quick exit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from secondchance.models import User
from secondchance.services.accounts import (
    SESSION_DAYS,
    SignInError,
    Throttled,
    end_session,
    sign_in,
    sign_up,
    start_session,
)
from secondchance.services.errors import InputError
from secondchance.web.deps import DB, SESSION_COOKIE, Now, csrf_protect, optional_user, safe_next
from secondchance.web.routes.help import COUNTRY_COOKIE
from secondchance.web.templating import page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)])


def signed_in(request: Request, secret: str, target: str, notice: str | None = None) -> Response:
    """Set the new session's cookie. Whatever session cookie the browser brought is ended on the
    server first (see _fresh_session), so no cookie from before signing in works after it."""
    response = redirect(target, notice)
    https = request.app.state.settings.secure_cookies or request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=https,
        path="/",
    )
    return response


def _fresh_session(request: Request, session: Session, user: User, moment: datetime) -> str:
    """A new session secret for ``user``, after ending the one this browser brought (if any)."""
    end_session(session, request.cookies.get(SESSION_COOKIE))
    return start_session(session, user, moment)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/signup")
def signup_form(request: Request, user=Depends(optional_user)) -> Response:  # type: ignore[no-untyped-def]
    if user is not None:
        return RedirectResponse("/", status_code=303)
    return page(request, "pages/signup.html", {"title": "Create your space", "values": {}})


@router.post("/signup")
def signup(
    request: Request,
    session: DB,
    moment: Now,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        user = sign_up(session, username, password, moment)
    except InputError as error:
        return page(
            request,
            "pages/signup.html",
            {
                "title": "Create your space",
                "errors": {error.field: error.message},
                "values": {"username": username},
            },
            400,
        )
    return signed_in(request, _fresh_session(request, session, user, moment), "/welcome", "welcome")


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return page(
        request, "pages/login.html", {"title": "Sign in", "next": safe_next(next), "values": {}}
    )


@router.post("/login")
def login(
    request: Request,
    session: DB,
    moment: Now,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        user = sign_in(session, username, password, _address(request), moment)
    except (SignInError, Throttled) as error:
        status = 429 if isinstance(error, Throttled) else 400
        # Returning (not raising) keeps the transaction, so the failure is counted.
        return page(
            request,
            "pages/login.html",
            {
                "title": "Sign in",
                "error": str(error),
                "next": safe_next(next),
                "values": {"username": username},
            },
            status,
        )
    return signed_in(request, _fresh_session(request, session, user, moment), safe_next(next))


@router.post("/logout")
def logout(request: Request, session: DB) -> Response:
    end_session(session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/login", "signed_out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/quick-exit")
def quick_exit(request: Request, session: DB) -> Response:
    """Leave at once: sign out and go to a neutral page.

    A GET on purpose, so the button works as a plain link with no script and replaces the
    current page in the history. Signing someone out is the only effect a forged link could
    have, and that is a safe one.
    """
    end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(request.app.state.settings.quick_exit_url, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    # Leave no sign of having looked for help either (the country Help was last opened for).
    response.delete_cookie(COUNTRY_COOKIE, path="/")
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@router.get("/weather")
def weather(request: Request) -> Response:
    """The neutral page quick exit lands on: nothing here hints at what was open before."""
    return request.app.state.templates.TemplateResponse(request, "pages/weather.html", {})
