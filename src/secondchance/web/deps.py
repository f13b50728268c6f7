"""Request dependencies: the transaction, who is signed in, and the CSRF check.

Each request is one transaction, owned here: it commits after the route returns and before the
response is sent (``scope="function"``), so nobody is told "saved" for something that wasn't.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from secondchance import clock
from secondchance.services import form_keys
from secondchance.services.accounts import (
    Reader,
    caller_for_api_token,
    hold_account,
    reader_for,
    signed_in,
    user_for_api_token,
)
from secondchance.services.errors import InputError
from secondchance.services.rows import Caller, Person, Profile, ProfileData
from secondchance.web.security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, tokens_match

SESSION_COOKIE = "sc_session"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class NeedsSignIn(Exception):
    """Raised for a page that needs a signed-in person; answered with a redirect to sign in."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class NeedsProfile(Exception):
    """Signed in, but onboarding isn't done yet: answered with a redirect to it."""


class ApiUnauthorized(Exception):
    """The API was called without a valid token or session."""


class CsrfFailed(Exception):
    """A state-changing request arrived without the matching CSRF token."""


async def transaction_slot(request: Request) -> AsyncIterator[None]:
    """Wait, without holding a thread, for one of this process's transaction slots.

    Sync routes and dependencies run on a pool of 40 threads, each step on whichever thread is
    free, and a transaction keeps its connection (on SQLite, for a write, the write lock) from
    one step to the next. With more requests in flight than connections, every thread could be
    waiting for a connection or the lock held by a request that is itself waiting for a thread,
    until the timeouts answer 503. Queueing here first keeps transactions fewer than both.
    """
    async with _turn(request, writes=not reads_only(request)):
        yield


@asynccontextmanager
async def _turn(request: Request, *, writes: bool) -> AsyncIterator[None]:
    """Wait for a transaction slot; on SQLite a write also waits for this process's writer turn.

    SQLite lets one writer in at a time, and a writer turned away polls with growing sleeps
    (up to 100 ms): this process's writers take turns here instead, in order, without polling.
    """
    state = request.app.state
    if state.sqlite_writer is None or not writes:
        async with state.transaction_slots:
            yield
        return
    async with state.sqlite_writer, state.transaction_slots:
        yield


Slot = Annotated[None, Depends(transaction_slot, scope="function")]


# Form posts that only read: the live review of a draft, which htmx posts as someone types.
READING_POSTS = frozenset({"/step4/review", "/step4/compose"})


def reads_only(request: Request) -> bool:
    """True for a request that only reads, so that on SQLite it doesn't queue for the write lock.

    Such a request must not write after reading (see db.READS_ONLY). API calls with a token
    write its last use, so they count as writes; /quick-exit's DELETE is its first statement.
    """
    if "authorization" in request.headers:
        return False
    return request.method in SAFE_METHODS or request.url.path in READING_POSTS


async def db(request: Request, _slot: Slot) -> AsyncIterator[Session]:
    """The request's transaction: committed after the route returns, rolled back if it raises.

    ``async``, so opening it costs no thread hop (a session connects on its first statement,
    in whichever thread runs it); ending it takes one at most, see ``_end``.
    """
    reads = reads_only(request)
    factory = request.app.state.read_sessions if reads else request.app.state.sessions
    # The same as ``with factory() as session, session.begin():``, ended by ``_end``.
    transaction = ExitStack()
    session = transaction.enter_context(factory())
    transaction.enter_context(session.begin())
    try:
        yield session
    except BaseException as error:
        await _end(request, transaction, error, reads=reads)
        raise
    await _end(request, transaction, None, reads=reads)


async def _end(
    request: Request, transaction: ExitStack, error: BaseException | None, *, reads: bool
) -> None:
    """Commit (or, after ``error``, roll back) and close the session.

    In a worker thread, since it may wait on the database; but on SQLite a transaction that
    only read ends on the spot: it holds no lock anyone waits for, and its COMMIT only lets go
    of a snapshot, which is quicker than the hop to a thread and back.
    """
    exc_info = (type(error), error, error.__traceback__) if error else (None, None, None)
    if reads and request.app.state.sqlite_writer is not None:
        transaction.__exit__(*exc_info)
    else:
        await run_in_threadpool(transaction.__exit__, *exc_info)


DB = Annotated[Session, Depends(db, scope="function")]


async def read_page(
    request: Request, work: Callable[[Request, Session, datetime], Response]
) -> Response:
    """Answer a page that only reads with ``work(request, session, now)``, in one thread hop.

    What ``DB`` and ``Now`` give a route, without FastAPI solving them: on the page people open
    most, resolving the transaction, slot, clock and form-guard dependencies cost about as much
    CPU as reading the page's data. The transaction begins and ends in the worker thread.
    """
    moment = clock.now()
    async with request.app.state.transaction_slots:
        if request.app.state.sqlite_writer is not None:
            # On SQLite a read is the process's own CPU work on a file the OS keeps in memory
            # (WAL: a reader never waits for the writer): a thread would run it no sooner,
            # under the same GIL, and the hop to it and back costs more than the reading.
            return _read(request, work, moment)
        return await run_in_threadpool(_read, request, work, moment)


def _read(
    request: Request, work: Callable[[Request, Session, datetime], Response], moment: datetime
) -> Response:
    with request.app.state.page_sessions() as session, session.begin():
        return work(request, session, moment)


async def now() -> datetime:
    """The request's single moment; tests freeze the clock instead of patching this.

    ``async`` because it does no I/O: FastAPI runs a plain ``def`` dependency in a worker
    thread, and each such hop costs a page more than the work itself.
    """
    return clock.now()


Now = Annotated[datetime, Depends(now)]


def person_of(request: Request, session: Session, moment: datetime) -> Person | None:
    """Return who is signed in (None if no one), with their profile, read once per request.

    Sync, for the worker thread a route already runs its database work in: a route that asks
    here rather than through ``CurrentUser`` saves the thread hop that dependency costs.
    """
    state = request.state
    if not hasattr(state, "signed_in_profile"):
        secret = request.cookies.get(SESSION_COOKIE)
        user, profile = signed_in(session, secret, moment) or (None, None)
        state.user = user  # templates show the signed-in parts of the page
        state.signed_in_profile = profile  # shown once a route asks for it (_profile_of)
    return state.user


async def optional_user(request: Request, session: DB, moment: Now) -> Person | None:
    """Return who is signed in (None if no one), with their profile, in one thread hop."""
    state = request.state
    if hasattr(state, "signed_in_profile"):  # asked already (a form's key was claimed)
        return state.user
    if request.cookies.get(SESSION_COOKIE) is None:  # signed out: nothing to look up
        state.user = state.signed_in_profile = None
        return None
    return await run_in_threadpool(person_of, request, session, moment)


OptionalUser = Annotated[Person | None, Depends(optional_user)]


def hold_person(request: Request, session: Session, user: Person) -> None:
    """On a write, wait for this person's other writes to finish first, until this one commits.

    Services read before they write (is there a check-in for this day? a safety plan?). On
    PostgreSQL two requests of one person (phone and laptop, or two app processes) could both
    read "none" and both insert, and the second would fail on the unique key with a 503. A row
    lock on the account makes them take turns, so the second sees the first's row and replaces
    it. ``FOR NO KEY UPDATE`` leaves foreign-key checks free. SQLite needs nothing: BEGIN
    IMMEDIATE already lets one writer in at a time (and SQLAlchemy leaves the clause out).
    """
    if must_hold(request):
        hold_account(session, user)


def must_hold(request: Request) -> bool:
    """True when ``hold_person`` has work to do: a write, on a server database. A read (the
    live review posts, but never writes) waits for nothing, and on SQLite BEGIN IMMEDIATE
    already did it."""
    return not reads_only(request) and request.app.state.sqlite_writer is None


async def current_user(request: Request, session: DB, user: OptionalUser) -> Person:
    if user is None:
        raise needs_sign_in(request)
    if must_hold(request):  # otherwise don't hop to a thread for nothing
        await run_in_threadpool(hold_account, session, user)
    return user


def needs_sign_in(request: Request) -> NeedsSignIn:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return NeedsSignIn(quote(target, safe="/?=&"))


def page_person(request: Request, session: Session, moment: datetime) -> tuple[Reader, ProfileData]:
    """Who is signed in and their profile, for a page that only reads (``read_page``), as
    plain data; sync, for the page's own worker thread.

    Raises NeedsSignIn or NeedsProfile like ``CurrentUser`` and ``CurrentProfile``. The
    services such a page calls take the ``Reader`` where they take a person (they read its id).
    """
    state = request.state
    found = reader_for(session, request.cookies.get(SESSION_COOKIE), moment)
    if found is None:
        state.user = state.signed_in_profile = None
        raise needs_sign_in(request)
    user, profile = found
    state.user = user  # templates show the signed-in parts of the page
    state.signed_in_profile = profile
    if profile is None:
        raise NeedsProfile
    _profile_of(request, user)
    return user, profile


CurrentUser = Annotated[Person, Depends(current_user)]


def _profile_of(request: Request, user: Person | Reader) -> Profile | ProfileData | None:
    """Return the profile read with the sign-in (None before onboarding), for the pages."""
    profile = getattr(request.state, "signed_in_profile", None)
    if profile is not None:
        request.state.profile = profile
        # A plain copy, still readable after a failed transaction expired the row (error pages).
        request.state.country = profile.country
    return profile


async def current_profile(request: Request, user: CurrentUser) -> Profile:
    profile = _profile_of(request, user)
    if profile is None:
        raise NeedsProfile
    return profile


CurrentProfile = Annotated[Profile, Depends(current_profile)]


async def optional_profile(request: Request, user: OptionalUser) -> Profile | None:
    """Return the signed-in person's profile, or None when signed out or still onboarding.

    For the pages someone in distress must reach whatever state their account is in (Help,
    SOS, the safety plan): being asked to finish a profile first is the last thing they need.
    """
    return None if user is None else _profile_of(request, user)


OptionalProfile = Annotated[Profile | None, Depends(optional_profile)]


class AlreadyDone(Exception):
    """The same form was posted again (a double tap): it was handled the first time."""


FORM_KEY_FIELD = "form_key"

# Forms a person sends again on purpose, whose repeat keeps no second entry, so they are not
# held to once: the Review button under a draft (the form stays on the page while the draft is
# edited and reviewed again), the recovery-codes download (the page stays; a second copy is
# fine) and new recovery codes (the answer shows the codes once; a repeat makes a fresh set
# that replaces the last, so the page a person ends up on always shows the codes that work).
REPEATABLE_POSTS = frozenset({"/step4/draft", "/recovery-codes.txt", "/settings/recovery-codes"})


async def check_csrf(request: Request) -> str | None:
    """Every state-changing form or htmx call must carry the token from its page.

    Returns the form's ``form_key`` (see ``form_once``), or None when it has none.
    """
    if request.method in SAFE_METHODS:
        return None
    submitted = request.headers.get(CSRF_HEADER)
    key = None
    if "form" in request.headers.get("content-type", ""):
        form = await request.form()
        if submitted is None:
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
        found = form.get(FORM_KEY_FIELD)
        key = found if isinstance(found, str) else None
    if not tokens_match(request.cookies.get(CSRF_COOKIE), submitted):
        raise CsrfFailed
    return key


async def form_once(
    request: Request,
    key: Annotated[str | None, Depends(check_csrf)],
    session: DB,
    moment: Now,
) -> AsyncIterator[None]:
    """Handle each rendered form once: a second post of it does nothing (``AlreadyDone``).

    The key is claimed in the request's own transaction, before the route runs, and freed
    again if the route answers with the form and its errors (``page`` marks that), so only a
    post that saved uses it up. Sign-in and sign-up forms have no one to key by yet and are
    left out: signing in twice only makes a second session, and nothing anyone wrote is kept.
    Posts that only read (READING_POSTS) have nothing to guard, and REPEATABLE_POSTS are
    meant to be sent again.
    """
    # Async, with the database work in a worker thread only when there is a key to claim: a
    # page view (most requests) passes through without a thread hop in or out, and without
    # asking who is signed in (the route does, in its own thread when it can).
    if key is None or reads_only(request) or request.url.path in REPEATABLE_POSTS:
        yield
        return
    user = await run_in_threadpool(_claim, request, session, key, moment)
    yield
    if user is not None and getattr(request.state, "form_failed", False):
        await run_in_threadpool(form_keys.release, session, user, key)


def _claim(request: Request, session: Session, key: str, moment: datetime) -> Person | None:
    """Claim ``key`` for whoever is signed in; return them (None: no one, nothing claimed)."""
    user = person_of(request, session, moment)
    if user is not None and not form_keys.claim(session, user, key, moment):
        raise AlreadyDone
    return user


async def csrf_protect(_once: Annotated[None, Depends(form_once, scope="function")]) -> None:
    """The guard every form router carries: the CSRF check, then the form handled once.

    ``scope="function"``: the key is freed (or kept) before the request's transaction commits.
    """


async def api_user(request: Request, session: DB, moment: Now) -> Person:
    """A bearer token, or the browser session with the CSRF header on writes (one hop)."""
    return await run_in_threadpool(_api_user, request, session, moment)


def _api_user(request: Request, session: Session, moment: datetime) -> Person:
    return _api_person(request, session, moment, user_for_api_token, _signed_in_user)


def _api_caller(request: Request, session: Session, moment: datetime) -> Caller:
    """``_api_user`` as plain data, for a write whose services take it (``api_write``)."""
    return _api_person(request, session, moment, caller_for_api_token, _signed_in_caller)


Someone = TypeVar("Someone", Person, Caller)


def _api_person(
    request: Request,
    session: Session,
    moment: datetime,
    by_token: Callable[..., Someone | None],
    by_cookie: Callable[[Session, str | None, datetime], Someone | None],
) -> Someone:
    """Who calls the API: a bearer token (``by_token``), or the browser session
    (``by_cookie``) with the CSRF header on writes. A write's lock on the account
    (``hold_person``) is taken by the token's own statement."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        found = by_token(session, header[7:].strip(), moment, hold=must_hold(request))
        if found is None:
            raise ApiUnauthorized
        return claim_idempotency_key(request, session, found, moment)
    found = by_cookie(session, request.cookies.get(SESSION_COOKIE), moment)
    if found is None:
        raise ApiUnauthorized
    if request.method not in SAFE_METHODS and not tokens_match(
        request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER)
    ):
        raise CsrfFailed
    hold_person(request, session, found)
    return claim_idempotency_key(request, session, found, moment)


def _signed_in_user(session: Session, secret: str | None, moment: datetime) -> Person | None:
    found = signed_in(session, secret, moment)
    return None if found is None else found[0]


def _signed_in_caller(session: Session, secret: str | None, moment: datetime) -> Caller | None:
    found = reader_for(session, secret, moment)
    return None if found is None else Caller(found[0].id, found[0].username, found[1])


IDEMPOTENCY_HEADER = "idempotency-key"
API_KEY_PREFIX = "api:"  # never the same as a form's key, which is URL-safe base64
MAX_API_KEY = form_keys.MAX_KEY - len(API_KEY_PREFIX)


def claim_idempotency_key(
    request: Request, session: Session, user: Person, moment: datetime
) -> Person:
    """An API write may send ``Idempotency-Key``: a repeat with the same key does nothing.

    The same claim as a form's key, in the same transaction: a request refused with an error
    (raised, so rolled back) leaves the key free. The repeat is answered 409 (``AlreadyDone``).
    Returns ``user``.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None or request.method in SAFE_METHODS:
        return user
    if not key.strip() or len(key) > MAX_API_KEY:
        raise InputError(
            "Idempotency-Key", f"should be 1 to {MAX_API_KEY} characters, unique per request"
        )
    if not form_keys.claim(session, user, API_KEY_PREFIX + key, moment):
        raise AlreadyDone
    return user


ApiUser = Annotated[Person, Depends(api_user)]

Model = TypeVar("Model", bound=BaseModel)


async def api_write(
    request: Request,
    model: type[Model],
    work: Callable[[Request, Session, Caller, datetime, Model], Response | Later],
) -> Response:
    """Answer an API write with ``work(request, session, caller, now, body)``, in one thread
    hop; ``caller`` is who calls, as plain data (``people.Caller``).

    What ``ApiUser``, ``DB``, ``Now`` and a body parameter give a route, without FastAPI
    solving them: on the API's busiest write, solving them and the four hops they took (who
    is calling, the route, checking its answer, the commit) cost more CPU than the write.
    The order stays the one FastAPI keeps: a body that can't be read is refused first (400,
    or 422 for broken JSON), then who is calling (401, or 403 without the CSRF header), and
    only then the body against ``model`` (422), so a stranger never learns its schema. The
    transaction commits in the same hop, before the answer is sent; ``work`` may instead return
    a function (``Later``) that makes the answer: on SQLite after the commit. A route using
    this takes ``openapi_extra=json_body_doc(model)``, so the schema still shows what it takes.
    """
    raw = await json_body(request)
    moment = clock.now()
    async with _turn(request, writes=True):
        return await run_in_threadpool(_api_write, request, model, work, raw, moment)


# What an API write may return instead of its answer: a function that makes the answer from
# what it saved, called after the commit on SQLite and before it on a server (``_api_write``).
Later = Callable[[Session], Response]


def _api_write(
    request: Request,
    model: type[Model],
    work: Callable[[Request, Session, Caller, datetime, Model], Response | Later],
    raw: Any,
    moment: datetime,
) -> Response:
    with request.app.state.sessions() as session:
        with session.begin():
            caller = _api_caller(request, session, moment)
            answer = work(request, session, caller, moment, validated(model, raw))
            if isinstance(answer, Response):
                return answer
            if request.app.state.sqlite_writer is None:
                # A server database: read in the same transaction, which holds no lock others
                # wait for but this person's row, and a second one would cost a round of its own.
                return answer(session)
        # SQLite: answered after the commit (``answer`` reads in a transaction that only reads),
        # so the next writer needn't wait for the one write lock while the answer is read.
        return answer(session)


def json_answer(answer: BaseModel, status_code: int) -> Response:
    """``answer`` as JSON, as FastAPI would send it for a ``response_model`` of its type."""
    return Response(answer.model_dump_json(), status_code, media_type="application/json")


async def form_fields(request: Request, model: type[Model]) -> Model:
    """Return the request's form as ``model``, by the rules FastAPI reads ``Form`` parameters
    with, for a route that solves no dependencies (``Model`` says each field's type, limit and
    default).

    A body that can't be parsed is answered 400; a field left out or sent empty takes its
    default (a browser sends an empty field for a box left blank); the rest is checked against
    ``model`` and refused with FastAPI's 422, each place starting at "body". The form is kept
    on the request (``request.form()`` reads it once), so the CSRF check reads the same one.
    """
    try:
        form = await request.form()
    except HTTPException:
        raise
    except Exception as error:  # as FastAPI: a multipart body cut short, and the like
        raise HTTPException(400, "There was an error parsing the body") from error
    given = {}
    for name in model.model_fields:
        value = form.get(name)
        if value is None or value == "" or _empty_upload(value):
            continue
        given[name] = value
    return validated(model, given)


def _empty_upload(value: Any) -> bool:
    # A file input left empty: browsers send it with no name and no content.
    return isinstance(value, UploadFile) and value.filename == "" and value.size == 0


def form_body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The ``openapi_extra`` that documents ``model`` as the form body of a route that reads it
    with ``form_fields`` (FastAPI can't see it), and the 422 it may answer."""
    content = {"application/x-www-form-urlencoded": {"schema": model.model_json_schema()}}
    return {"requestBody": {"content": content}, "responses": {"422": _refused_doc()}}


def _refused_doc() -> dict[str, Any]:
    """The 422 that FastAPI documents for a route with a body (the other routes' bodies put
    its schema in the components)."""
    invalid = {"$ref": "#/components/schemas/HTTPValidationError"}
    return {"description": "Validation Error", "content": {"application/json": {"schema": invalid}}}


def validated(model: type[Model], raw: Any) -> Model:
    """Return ``raw`` (parsed JSON, or None for no body) as ``model``, or raise the 422 that
    FastAPI gives for a body parameter, with each place starting at "body"."""
    if raw is None:
        missing = {"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}
        raise RequestValidationError([missing])
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None


async def json_body(request: Request) -> Any:
    """Return the request's JSON body, by the rules FastAPI reads a body parameter with.

    None when there is no body; the raw bytes when the Content-Type isn't JSON (the model
    then refuses them); 422 for JSON that doesn't parse; 400 for a body that can't be read
    (a body over the size limit is answered 413 by the edge middleware whatever this says).
    """
    try:
        raw = await request.body()
        if not raw:
            return None
        if not _is_json(request.headers.get("content-type")):
            return raw
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", error.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": error.msg},
                }
            ]
        ) from error
    except Exception as error:  # as FastAPI: not UTF-8, nested too deep, cut short...
        raise HTTPException(400, "There was an error parsing the body") from error


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    kind = content_type.split(";", 1)[0].strip().lower()
    main, _, sub = kind.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


def json_body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The ``openapi_extra`` that documents ``model`` as the JSON body of an ``api_write``
    route (the route reads the body itself, so FastAPI can't see it)."""
    schema = model.model_json_schema()
    assert "$defs" not in schema, "a nested body model needs its parts in the components"
    content = {"application/json": {"schema": schema}}
    return {
        "requestBody": {"required": True, "content": content},
        "responses": {"422": _refused_doc()},
    }


def safe_next(path: str | None) -> str:
    """Only ever redirect within this site: anything else goes to Today.

    Control characters are refused too: browsers drop tabs and newlines from a URL, so
    "/<tab>/evil.example" would become "//evil.example" wherever it isn't percent-encoded.
    """
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return "/"
    return path
