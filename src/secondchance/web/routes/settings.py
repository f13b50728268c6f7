"""Settings: profile and help lines, export and import, password, sessions, API tokens, and
deleting everything.

Settings need a signed-in person but not a finished profile, so someone moving their data to
a new account can import it before (or instead of) answering the onboarding questions.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from secondchance import clock
from secondchance.services import data
from secondchance.services import validate as v
from secondchance.services.accounts import (
    Throttled,
    change_password,
    create_api_token,
    end_all_sessions,
    list_api_tokens,
    recovery_codes_left,
    remake_recovery_codes,
    revoke_api_token,
    start_session,
)
from secondchance.services.errors import InputError
from secondchance.services.people import ProfileInput, find_profile, save_profile
from secondchance.services.rows import ApiToken, Person, Profile
from secondchance.web.deps import (
    DB,
    SESSION_COOKIE,
    ApiUser,
    CurrentUser,
    Now,
    csrf_protect,
    optional_user,
)
from secondchance.web.forms import form_error
from secondchance.web.reminder_panel import panel
from secondchance.web.routes.auth import recovery_codes_page, signed_in
from secondchance.web.routes.onboarding import COUNTRIES
from secondchance.web.templating import is_htmx, page, redirect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
api = APIRouter(tags=["settings"])

SETTINGS = "pages/settings.html"
TOKENS = "partials/_settings_tokens.html"


def maybe_profile(request: Request, session: DB, user: CurrentUser) -> Profile | None:
    """The profile if onboarding is done, else None (settings work either way)."""
    profile = find_profile(session, user)
    # What pages read to show the tabs and the help lines of the person's country.
    request.state.profile = profile
    request.state.country = profile.country if profile else None
    return profile


MaybeProfile = Annotated[Profile | None, Depends(maybe_profile)]


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def settings_context(
    session: Session, user: Person, profile: Profile | None, **extra: Any
) -> dict[str, Any]:
    """Everything the settings page shows; ``extra`` adds or replaces keys."""
    countries = dict(COUNTRIES)
    if profile is not None and profile.country not in countries:
        countries[profile.country] = profile.country
    values = {"country": profile.country if profile else "US", **extra.pop("values", {})}
    return {
        "title": "Settings",
        "tokens": list_api_tokens(session, user),
        "codes_left": recovery_codes_left(session, user),
        "countries": countries,
        "can_import": not data.has_history(session, user),
        "values": values,
        "errors": {},
        "new_token": None,
        # Reminders need a time zone, so they wait for the profile.
        "reminders": panel(session, user, clock.now()) if profile is not None else None,
        **extra,
    }


def _form_error(
    request: Request,
    session: Session,
    user: Person,
    profile: Profile | None,
    error: InputError,
    values: dict[str, Any] | None = None,
    status: int = 400,
) -> Response:
    context = settings_context(session, user, profile)
    response = form_error(
        request, SETTINGS, error, {**context["values"], **(values or {})}, context
    )
    response.status_code = status
    return response


def _renamed(error: InputError, field: str) -> InputError:
    """The same reason under the name of the field on this page (several ask for a password)."""
    return InputError(field, error.message)


@router.get("/settings")
def settings_page(
    request: Request, session: DB, user: CurrentUser, profile: MaybeProfile
) -> Response:
    return page(request, SETTINGS, settings_context(session, user, profile))


@router.post("/settings/country")
def save_country(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: MaybeProfile,
    moment: Now,
    country: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if profile is None:
        return redirect("/welcome")
    try:
        save_profile(session, user, ProfileInput(country=country), moment)
    except InputError as error:
        return _form_error(request, session, user, profile, error, {"country": country})
    return redirect("/settings#help-lines", "profile_saved")


def _export_name(moment: datetime, extension: str) -> str:
    return f"secondchance-export-{moment:%Y-%m-%d}.{extension}"


@router.get("/settings/export.json")
def export_json(session: DB, user: CurrentUser, moment: Now) -> Response:
    body = data.dumps(data.export_account(session, user, moment))
    disposition = f'attachment; filename="{_export_name(moment, "json")}"'
    return Response(
        body, media_type="application/json", headers={"Content-Disposition": disposition}
    )


@router.get("/settings/export.csv.zip")
def export_zip(session: DB, user: CurrentUser, moment: Now) -> Response:
    disposition = f'attachment; filename="{_export_name(moment, "csv.zip")}"'
    return Response(
        data.export_csv_zip(session, user),
        media_type="application/zip",
        headers={"Content-Disposition": disposition},
    )


def _parse_upload(raw: bytes) -> Any:
    """The uploaded file as JSON; InputError("import") when it isn't JSON at all."""
    if not raw.strip():
        raise InputError("import", "choose the export file (a .json file) to import")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # [[[[... nested deep
        raise InputError(
            "import", "this isn't a secondchance export file (it isn't JSON)"
        ) from None


@router.post("/settings/import")
async def import_upload(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: MaybeProfile,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    raw = await file.read() if file is not None else b""
    try:
        data.import_person(session, user, data.person_from_export(_parse_upload(raw)))
    except InputError as error:
        return _form_error(request, session, user, profile, _renamed(error, "import"))
    return redirect("/", "imported")


@router.post("/settings/password")
def password_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: MaybeProfile,
    moment: Now,
    current_password: Annotated[str, Form(max_length=2000)] = "",
    new_password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        change_password(session, user, current_password, new_password, moment)
    except InputError as error:
        field = "new_password" if error.field == "password" else error.field
        return _form_error(request, session, user, profile, _renamed(error, field))
    # Every session ended, this one too: keep this browser signed in with a fresh one.
    secret = start_session(session, user, moment)
    return signed_in(request, secret, "/settings", "password_changed")


@router.post("/settings/recovery-codes")
def recovery_codes_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: MaybeProfile,
    moment: Now,
    password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        codes = remake_recovery_codes(session, user, password, moment)
    except InputError as error:
        return _form_error(request, session, user, profile, _renamed(error, "codes_password"))
    return recovery_codes_page(request, codes, "/settings#recovery")


@router.post("/settings/sessions/end-all")
def end_all_form(request: Request, session: DB, user: CurrentUser, moment: Now) -> Response:
    end_all_sessions(session, user)
    return signed_in(
        request, start_session(session, user, moment), "/settings", "signed_out_everywhere"
    )


def _tokens_response(
    request: Request, session: Session, user: Person, profile: Profile | None, **extra: Any
) -> Response:
    """The token list as a partial for htmx, or the whole settings page."""
    context = settings_context(session, user, profile, **extra)
    if is_htmx(request):
        # 200 even for a refused name: htmx leaves the page alone on 4xx, hiding the reason.
        return page(request, TOKENS, context)
    return page(request, SETTINGS, context, 400 if context["errors"] else 200)


@router.post("/settings/tokens")
def create_token_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: MaybeProfile,
    moment: Now,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        row, secret = create_api_token(session, user, name, moment)
    except InputError as error:
        return _tokens_response(
            request,
            session,
            user,
            profile,
            errors={"token_name": error.message},
            values={"token_name": name},
        )
    # Shown here once and never again: only its hash is kept, so it can't go in a redirect.
    return _tokens_response(
        request, session, user, profile, new_token={"row": row, "secret": secret}
    )


@router.post("/settings/tokens/{token_id}/revoke")
def revoke_token_form(
    request: Request, session: DB, user: CurrentUser, profile: MaybeProfile, token_id: int
) -> Response:
    revoke_api_token(session, user, token_id)
    if is_htmx(request):
        return _tokens_response(request, session, user, profile)
    return redirect("/settings#tokens", "token_revoked")


@router.post("/settings/delete")
def delete_form(
    request: Request,
    session: DB,
    user: CurrentUser,
    profile: MaybeProfile,
    moment: Now,
    password: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        data.delete_account(session, user, password, _address(request), moment)
    except InputError as error:
        return _form_error(request, session, user, profile, _renamed(error, "delete_password"))
    except Throttled as error:
        # Returned, not raised: the transaction commits, so the failed try still counts.
        return _form_error(
            request, session, user, profile, InputError("delete_password", str(error)), status=429
        )
    response = redirect("/goodbye")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/goodbye", dependencies=[Depends(optional_user)])
def goodbye(request: Request) -> Response:
    """Where a deleted account lands: nothing of theirs is left to show, only kind words."""
    return page(request, "pages/settings_goodbye.html", {"title": "Goodbye"})


# --- JSON API ---


class ExportFile(BaseModel):
    """A secondchance export, as ``GET /export`` gives it and ``POST /import`` takes it."""

    model_config = ConfigDict(populate_by_name=True)

    format: str = Field(description="Always 'secondchance-export'")
    version: int = Field(description="The file format's version")
    schema_: str | None = Field(None, alias="schema", description="The database revision")
    exported_at: str | None = Field(None, description="When the export was made (UTC)")
    people: list[dict[str, Any]] = Field(
        description="One person: the profile, the safety plan and every table of history"
    )


class ImportOut(BaseModel):
    imported: dict[str, int] = Field(description="Rows loaded, by table")


class PasswordIn(BaseModel):
    password: str = Field(max_length=2000, description="Your current password, to confirm")


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=2000)
    new_password: str = Field(max_length=2000, description="At least 10 characters")


class SessionsEnded(BaseModel):
    ended: int = Field(description="How many browser sessions were signed out")


class TokenIn(BaseModel):
    name: str = Field(
        max_length=v.LIMITS["token_name"], description="What the token is for, e.g. 'my script'"
    )


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret: shown this once, never again")


def token_out(row: ApiToken) -> TokenOut:
    return TokenOut(
        id=row.id, name=row.name, created_at=row.created_at, last_used_at=row.last_used_at
    )


@api.get("/export", response_model=ExportFile, summary="Everything of yours, as one JSON file")
def export_api(session: DB, user: ApiUser, moment: Now) -> ExportFile:
    return ExportFile.model_validate(data.export_account(session, user, moment))


@api.post(
    "/import",
    response_model=ImportOut,
    status_code=201,
    summary="Load an export into your account (only while it has no history)",
)
def import_api(body: ExportFile, session: DB, user: ApiUser) -> ImportOut:
    person = data.person_from_export(body.model_dump(by_alias=True))
    return ImportOut(imported=data.import_person(session, user, person))


@api.delete(
    "/account",
    status_code=204,
    summary="Delete your account and everything in it, for good",
    responses={422: {"description": "Wrong password"}, 429: {"description": "Too many tries"}},
)
def delete_api(
    request: Request, body: PasswordIn, session: DB, user: ApiUser, moment: Now
) -> Response:
    try:
        data.delete_account(session, user, body.password, _address(request), moment)
    except InputError as error:
        # Answered, not raised, so the transaction commits and the failed try is counted.
        detail = [{"loc": ["body", "password"], "msg": error.message, "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)
    except Throttled as error:
        return JSONResponse({"detail": str(error)}, status_code=429)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@api.post(
    "/password",
    status_code=204,
    summary="Change your password; every browser session is signed out (tokens keep working)",
)
def password_api(body: PasswordChange, session: DB, user: ApiUser, moment: Now) -> Response:
    try:
        change_password(session, user, body.current_password, body.new_password, moment)
    except InputError as error:
        raise _renamed(error, "new_password") if error.field == "password" else error from None
    return Response(status_code=204)


@api.post(
    "/sessions/end-all",
    response_model=SessionsEnded,
    summary="Sign out every browser session (tokens keep working)",
)
def end_all_api(session: DB, user: ApiUser) -> SessionsEnded:
    return SessionsEnded(ended=end_all_sessions(session, user))


@api.post("/tokens", response_model=TokenCreated, status_code=201, summary="Make an API token")
def create_token_api(body: TokenIn, session: DB, user: ApiUser, moment: Now) -> TokenCreated:
    row, secret = create_api_token(session, user, body.name, moment)
    return TokenCreated(**token_out(row).model_dump(), token=secret)


@api.get("/tokens", response_model=list[TokenOut], summary="Your API tokens (never their secrets)")
def list_tokens_api(session: DB, user: ApiUser) -> list[TokenOut]:
    return [token_out(row) for row in list_api_tokens(session, user)]


@api.delete("/tokens/{token_id}", status_code=204, summary="Revoke an API token")
def revoke_token_api(token_id: int, session: DB, user: ApiUser) -> Response:
    revoke_api_token(session, user, token_id)
    return Response(status_code=204)
