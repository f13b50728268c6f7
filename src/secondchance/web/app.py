"""``create_app(settings)``: the FastAPI application, built from one validated Settings object.

App processes keep no state of their own (sessions, throttling and data all live in the
database), so several processes or machines can serve one PostgreSQL database.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DatabaseError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from secondchance import analysis, clock
from secondchance.config import Settings
from secondchance.db import (
    is_sqlite,
    make_engine,
    make_page_sessionmaker,
    make_sessionmaker,
    transaction,
)
from secondchance.migrate import upgrade
from secondchance.program.lessons import all_lessons
from secondchance.services import push
from secondchance.services.accounts import use_hashing
from secondchance.services.errors import InputError, NoProfile, NotFound
from secondchance.services.status import STATUS_CACHE
from secondchance.services.status_cache import make_cache
from secondchance.web import deps, scheduler
from secondchance.web.app_paths import STATIC
from secondchance.web.routes import ROUTERS
from secondchance.web.security import BodyTooLarge, EdgeMiddleware
from secondchance.web.templating import is_htmx, make_templates, page, redirect

API_PREFIX = "/api/v1"
# Transactions in flight at once in one process: below the connection pool (5 + 10 overflow)
# and the 40 threads sync routes run on, so no request holds a connection waiting for a thread
# (see deps.transaction_slot). The rest wait their turn without holding anything. Few, because
# a request is mostly Python under one GIL: with 10 in flight the threads only took turns, and
# a page cost about a third more CPU than with 4 (bench/bench_http.py, 50 connections).
TRANSACTIONS_PER_PROCESS = 4
log = logging.getLogger("secondchance.web")


# Private by default: FastAPI can trace requests and, given an environment variable
# (FASTAPI_OTEL_AUTO_CONFIGURE) and an exporter, send them to a collector. Nothing about the
# people using this leaves the server, so all of it is off, whatever the environment says.
NO_TELEMETRY = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    """Build the app: database (migrated unless told otherwise), templates, routes, security.

    Raises ValueError when the default secret key would be used outside development, and
    LessonError (naming the file and field) when a lesson file is wrong.
    """
    secret = settings.resolved_secret_key()
    use_hashing(settings.resolved_password_hashing())
    all_lessons()  # a coach's edit to a lesson file is checked here, not on someone's Today
    analysis.warm_up()  # the readers' lexicons, compiled before the first person writes
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    app = FastAPI(
        title="secondchance",
        version="1",
        summary="A kind coach for the four-step program after a breakup.",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=scheduler.lifespan(settings),  # the reminder sender (web/scheduler.py)
        telemetry=NO_TELEMETRY,
    )
    app.state.settings = settings
    app.state.engine = engine
    # One status cache per worker (or Redis, shared, when configured): every session sees it.
    cache = {STATUS_CACHE: make_cache(settings.redis_url, settings.database_url)}
    app.state.sessions = make_sessionmaker(engine, info=cache)
    app.state.read_sessions = make_sessionmaker(engine, reads_only=True, info=cache)
    app.state.page_sessions = make_page_sessionmaker(engine, info=cache)  # deps.read_page
    _make_push_keys(app)
    app.state.transaction_slots = anyio.Semaphore(TRANSACTIONS_PER_PROCESS)
    app.state.sqlite_writer = anyio.Lock() if is_sqlite(settings.database_url) else None
    app.state.templates = make_templates(auto_reload=settings.environment == "development")
    app.state.help_overrides = _load_overrides(settings)  # the notices add them too
    # Every page shows them: worked out once per country (the overrides are fixed per app).
    app.state.help_lines = lru_cache(maxsize=64)(
        partial(help_lines, overrides=app.state.help_overrides)
    )
    rare = list(app.router.routes)  # the API schema and its docs, which FastAPI adds first
    for router, prefix in ROUTERS:
        app.include_router(router, prefix=API_PREFIX if prefix == "api" else "")
    # Routes are tried one by one: the pages before the schema, its docs and the static files
    # (which the service worker keeps, so they are asked for rarely), none of whose paths a
    # page's could match.
    app.router.routes[:] = [r for r in app.router.routes if r not in rare] + rare
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)
    _document_api_errors(app)
    app.add_middleware(NoApiSlashRedirects)  # type: ignore[arg-type]
    app.add_middleware(
        EdgeMiddleware,  # type: ignore[arg-type]
        secret=secret,
        max_body=settings.max_body_bytes,
        large_paths={
            "/settings/import": settings.max_import_bytes,
            f"{API_PREFIX}/import": settings.max_import_bytes,
        },
        secure=settings.secure_cookies,
    )
    return app


def _make_push_keys(app: FastAPI) -> None:
    """Make the web-push (VAPID) keys on first run, so pages can offer reminders at once.

    A database that can't be written just now (read-only, locked) doesn't stop the app: the
    reminder sender makes the keys on its first pass instead.
    """
    try:
        with transaction(app.state.sessions) as session:
            push.ensure_vapid_keys(session, clock.now())
    except OperationalError as error:
        log.warning("web-push keys not made yet: %s", type(error).__name__)


class NoApiSlashRedirects:
    """Answer an API path that ends in "/" with a JSON 404 instead of Starlette's 307.

    Starlette redirects "/api/v1/checkins/" (and "/api/v1/checkins/%2F", a day of "/") to the
    list at "/api/v1/checkins": a client that asked for one thing silently got another. No API
    route ends in a slash, so such a path is simply not there. Pages keep the friendly redirect
    ("/settings/" still opens Settings).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(f"{API_PREFIX}/") and path.endswith("/"):
            await JSONResponse({"detail": "Not Found"}, status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _load_overrides(settings: Settings) -> dict[str, Any] | None:
    if settings.help_lines_file is None:
        return None
    return tomllib.loads(settings.help_lines_file.read_text(encoding="utf-8"))


def help_lines(country: str | None, overrides: dict[str, Any] | None = None) -> Mapping[str, tuple]:
    """Crisis and domestic-abuse lines for ``country`` (or the general ones), read-only: the
    app keeps them for every page that shows them."""
    from secondchance.analysis import resources

    lines = {
        "crisis": tuple(resources.crisis_lines(country, overrides)),
        "abuse": tuple(resources.abuse_lines(country, overrides)),
    }
    return MappingProxyType(lines)


# Answers any API operation can give, whatever the route: they come from the handlers below and
# the edge middleware, so they are documented here once and the schema tells clients the truth.
API_ERRORS = {
    "400": "The body couldn't be read: not UTF-8, or not what its Content-Type says",
    "401": "No valid personal access token (Authorization: Bearer …) or browser session",
    "403": "Signed in through the browser, but the X-CSRF-Token header was missing or wrong",
    "409": "Set up your profile first",
    "413": "The body is larger than the server takes",
    "503": "The database couldn't take it just now; nothing was saved (see Retry-After)",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}


def _document_api_errors(app: FastAPI) -> None:
    """Add API_ERRORS to every /api/v1 operation of the OpenAPI schema, and 404 to each that
    takes an id or a day in its path (someone else's row is "not found" too)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"schema": {"$ref": "#/components/schemas/Error"}}
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith(API_PREFIX):
                continue
            errors = {**API_ERRORS, **({"404": "Not found (or not yours)"} if "{" in path else {})}
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, description in errors.items():
                    content = {"application/json": ref}
                    if code == "413":  # refused by the middleware before any route runs
                        content["text/plain"] = {"schema": {"type": "string"}}
                    responses.setdefault(code, {"description": description, "content": content})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def form_home(app: FastAPI, path: str) -> str:
    """Return the page a form posted to ``path`` belongs to: ``path`` itself if it is a page,
    else the nearest parent that is ("/focus/activities" -> "/focus"), else Today."""
    # Only asked for a repeated post, so it is worked out each time rather than kept.
    pages = {
        route.path
        for route in app.routes
        if isinstance(route, APIRoute) and "GET" in route.methods and "{" not in route.path
    }
    while path and path != "/":
        if path in pages:
            return path
        path = path.rsplit("/", 1)[0]
    return "/"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(deps.NeedsSignIn)
    async def _sign_in(request: Request, exc: deps.NeedsSignIn) -> Response:
        return RedirectResponse(f"/login?next={exc.next_path}", status_code=303)

    @app.exception_handler(deps.NeedsProfile)
    async def _onboarding(request: Request, exc: deps.NeedsProfile) -> Response:
        return RedirectResponse("/welcome", status_code=303)

    @app.exception_handler(deps.ApiUnauthorized)
    async def _unauthorized(request: Request, exc: Exception) -> Response:
        return JSONResponse(
            {"detail": "Sign in, or send a personal access token as 'Authorization: Bearer …'."},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(deps.CsrfFailed)
    async def _csrf(request: Request, exc: Exception) -> Response:
        message = "This form has expired. Please go back, reload the page and try again."
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=403)
        return page(request, "pages/error.html", {"title": "Try again", "message": message}, 403)

    @app.exception_handler(deps.AlreadyDone)
    async def _already_done(request: Request, exc: Exception) -> Response:
        # The first post of this form was handled. htmx already swapped in its answer: 204
        # leaves the page as it is. A plain form shows this answer instead of the first one,
        # so it goes to the page the form belongs to, which shows what is saved.
        if _is_api(request):
            message = "Already done: a request with this Idempotency-Key was saved before."
            return JSONResponse({"detail": message}, status_code=409)
        if is_htmx(request):
            return Response(status_code=204)
        return redirect(form_home(request.app, request.url.path), "already_done")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        # A page that doesn't exist gets a page a person can read; the API keeps its JSON.
        if _is_api(request) or exc.status_code != 404 or request.url.path.startswith("/static/"):
            return await http_exception_handler(request, exc)
        return page(
            request, "pages/error.html", {"title": "Not found", "message": "That isn't here."}, 404
        )

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=404)
        return page(
            request, "pages/error.html", {"title": "Not found", "message": "That isn't here."}, 404
        )

    @app.exception_handler(NoProfile)
    async def _no_profile(request: Request, exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "Set up your profile first."}, status_code=409)
        return RedirectResponse("/welcome", status_code=303)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> Response:
        # Pages catch their own InputErrors to show the form again; this is the API's answer.
        return JSONResponse(
            {"detail": [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]},
            status_code=422,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse({"detail": errors}, status_code=422)
        message = "Something in that form wasn't filled in right: " + "; ".join(
            f"{'/'.join(str(p) for p in e['loc'][1:]) or 'form'}: {e['msg']}" for e in errors
        )
        return page(request, "pages/error.html", {"title": "Please check", "message": message}, 422)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: Exception) -> Response:
        return JSONResponse({"detail": "That's more than we can take in one go."}, status_code=413)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DatabaseError)
    async def _database(request: Request, exc: Exception) -> Response:
        # The transaction was rolled back: nothing half-written, nothing saved before is lost.
        log.warning("database trouble on %s: %s", request.url.path, type(exc).__name__)
        message = (
            "We couldn't save that just now. Everything you saved before is safe. "
            "Please try again in a moment."
        )
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "5"})
        return page(
            request, "pages/error.html", {"title": "Please try again", "message": message}, 503
        )
