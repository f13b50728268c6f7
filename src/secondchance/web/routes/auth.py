"""Sign up, sign in, sign out, and the quick exit."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from secondchance.services.accounts import (
    SESSION_DAYS,
    SignInError,
    Throttled,
    end_session,
    recovery_codes_left,
    reset_password,
    sign_in,
    sign_up,
    start_session,
)
from secondchance.services.demo import start_private_demo
from secondchance.services.errors import InputError
from secondchance.services.rows import Person
from secondchance.web.deps import (
    DB,
    SESSION_COOKIE,
    CurrentUser,
    Now,
    csrf_protect,
    optional_user,
    safe_next,
)
from secondchance.web.routes.help import COUNTRY_COOKIE
from secondchance.web.templating import page, redirect

# These pages don't ask who is signed in themselves, but show it (the Help button says "and
# your safety plan" to someone signed in).
router = APIRouter(dependencies=[Depends(csrf_protect), Depends(optional_user)])
CODE_SHAPE = re.compile(r"^[a-z0-9]{5}-[a-z0-9]{5}$")


def signed_in(request: Request, secret: str, target: str, notice: str | None = None) -> Response:
    """Set the new session's cookie. Whatever session cookie the browser brought is ended on the
    server first (see _fresh_session), so no cookie from before signing in works after it."""
    return with_session_cookie(request, redirect(target, notice), secret)


def with_session_cookie(request: Request, response: Response, secret: str) -> Response:
    """``response`` carrying the cookie of the new session ``secret``."""
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


def recovery_codes_page(
    request: Request, codes: list[str], after: str, status: int = 200
) -> Response:
    """The page that shows new recovery codes, once: they are never shown again."""
    context = {"title": "Your recovery codes", "codes": codes, "after": after}
    return page(request, "pages/recovery_codes.html", context, status)


def _fresh_session(request: Request, session: Session, user: Person, moment: datetime) -> str:
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
        user, codes = sign_up(session, username, password, moment)
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
    # The codes are shown on this response itself, not after a redirect: only their hashes
    # are kept, so this is the one moment they exist in the clear.
    secret = _fresh_session(request, session, user, moment)
    request.state.user = user
    return with_session_cookie(request, recovery_codes_page(request, codes, "/welcome"), secret)


@router.post("/recovery-codes.txt")
def recovery_codes_file(
    user: CurrentUser, code: Annotated[list[str] | None, Form(max_length=20)] = None
) -> Response:
    """The codes just shown, as a text file to keep. They come back from the page itself
    (nothing in the clear is kept on the server); anything not shaped like a code is left out."""
    codes = [c for c in (code or [])[:8] if CODE_SHAPE.match(c)]
    text = (
        f"secondchance recovery codes for {user.username}\n\n"
        "Each code works once, with your name, to set a new password if you forget yours.\n"
        "Keep this file somewhere private.\n\n" + "\n".join(codes) + "\n"
    )
    return Response(
        text,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="secondchance-recovery-codes.txt"'},
    )


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    context = {
        "title": "Sign in",
        "next": safe_next(next),
        "values": {},
        "demo": request.app.state.settings.demo,
    }
    return page(request, "pages/login.html", context)


@router.post("/demo")
def try_demo(request: Request, session: DB, moment: Now) -> Response:
    """A private, fresh copy of the example for this visitor, signed in at once."""
    if not request.app.state.settings.demo:
        return redirect("/login")
    try:
        user = start_private_demo(session, _address(request), moment)
    except Throttled:
        return redirect("/login", "demo_busy")
    return signed_in(request, _fresh_session(request, session, user, moment), "/", "demo_started")


@router.get("/forgot")
def forgot_form(request: Request) -> Response:
    return page(request, "pages/forgot.html", {"title": "Forgot your password?", "values": {}})


@router.post("/forgot")
def forgot(
    request: Request,
    session: DB,
    moment: Now,
    username: Annotated[str, Form(max_length=200)] = "",
    code: Annotated[str, Form(max_length=200)] = "",
    new_password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        user = reset_password(session, username, code, new_password, _address(request), moment)
    except (InputError, SignInError, Throttled) as error:
        errors = {error.field: error.message} if isinstance(error, InputError) else {}
        context = {
            "title": "Forgot your password?",
            "errors": errors,
            "error": "" if errors else str(error),
            "values": {"username": username, "code": code},
        }
        # Returning (not raising) keeps the transaction, so a wrong code is counted.
        status = 429 if isinstance(error, Throttled) else 400
        return page(request, "pages/forgot.html", context, status)
    left = recovery_codes_left(session, user)
    notice = "password_reset" if left > 2 else "password_reset_few_codes"
    return signed_in(request, _fresh_session(request, session, user, moment), "/", notice)


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
