"""Security at the edge of every request: headers, CSRF tokens, body size.

Pure ASGI middleware, so it wraps streaming bodies too and costs one pass per request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import cookie_parser

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "sc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

# No inline script or style anywhere, nothing from other origins, no framing, no referrer.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
# Pages hold private words: never keep them in a shared cache or the browser's back-forward
# cache (so after quick exit, Back asks the server again, which asks for a sign-in).
NO_STORE = (b"cache-control", b"no-store")


def sign(secret: str, value: str) -> str:
    mac = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{value}.{mac}"


def valid_csrf_cookie(secret: str, cookie: str | None) -> bool:
    if not cookie or "." not in cookie:
        return False
    value = cookie.rsplit(".", 1)[0]
    return hmac.compare_digest(sign(secret, value), cookie)


def tokens_match(cookie: str | None, submitted: str | None) -> bool:
    return bool(cookie and submitted) and hmac.compare_digest(cookie, submitted)  # type: ignore[arg-type]


def _csrf_cookie(scope: Scope) -> str | None:
    """The CSRF cookie's value as the routes will read it (``request.cookies``: Starlette's
    parser, over the first Cookie header), so both judge the same token. The parser is a plain
    split, about a tenth of the cost of ``http.cookies`` on every request."""
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            return cookie_parser(value.decode("latin-1")).get(CSRF_COOKIE)
    return None


def _bearer(scope: Scope) -> bool:
    """True when the request carries ``Authorization: Bearer ...`` (an API client's token)."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return value[:7].lower() == b"bearer "
    return False


class EdgeMiddleware:
    """Adds security headers, issues the CSRF cookie, and refuses oversized bodies (413)."""

    def __init__(
        self, app: ASGIApp, *, secret: str, max_body: int, large_paths: dict[str, int], secure: bool
    ) -> None:
        self.app = app
        self.secret = secret
        self.max_body = max_body
        self.large_paths = large_paths
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.large_paths.get(scope["path"], self.max_body)
        length = _content_length(scope)
        api = scope["path"].startswith("/api/")
        if length is not None and length > limit:
            await _too_large(send, api=api)
            return
        existing = _csrf_cookie(scope)
        # An API call with a token has no page to put a form token in: signing a cookie for
        # it would only add a header the client never uses.
        fresh = (
            None
            if valid_csrf_cookie(self.secret, existing) or (api and _bearer(scope))
            else sign(self.secret, secrets.token_urlsafe(24))
        )
        scope.setdefault("state", {})["csrf_token"] = fresh or existing
        https = self.secure or scope.get("scheme") == "https"
        static = scope["path"].startswith("/static/")
        # A body without a Content-Length is counted as it arrives. Past the limit, whatever the
        # app makes of the cut-off body (FastAPI answers 400 "error parsing the body"), the
        # answer is replaced by the 413 it would have had with a Content-Length.
        over = {"limit": False, "answered": False, "started": False}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                over["started"] = True
            if over["limit"]:
                if not over["answered"] and message["type"] == "http.response.start":
                    over["answered"] = True
                    await _too_large(send, api=api)
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                if not static and not any(k == b"cache-control" for k, _ in headers):
                    headers.append(NO_STORE)
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if fresh:
                    flags = "; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if https else "")
                    headers.append((b"set-cookie", f"{CSRF_COOKIE}={fresh}{flags}".encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, _limited(receive, limit, over), send_with_headers)
        except Exception:
            # Starlette's 500 is made outside this middleware, without the headers above: answer
            # here instead, then let the error go on to be logged (nothing more is sent).
            if not over["started"]:
                await _server_error(send_with_headers, api=scope["path"].startswith("/api/"))
            raise


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyTooLarge(Exception):
    pass


def _limited(receive: Receive, limit: int, over: dict[str, bool]) -> Receive:
    """Count body bytes as they arrive, for bodies sent without a Content-Length."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                over["limit"] = True
                raise BodyTooLarge
        return message

    return wrapped


async def _too_large(send: Send, *, api: bool = False) -> None:
    message = "That's more than we can take in one go. Please send less at a time."
    body = json.dumps({"detail": message}).encode() if api else message.encode()
    kind = b"application/json" if api else b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", kind), *HEADERS, NO_STORE],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _server_error(send: Send, *, api: bool) -> None:
    message = "Something went wrong on our side. Everything you saved before is safe."
    body = json.dumps({"detail": message}).encode() if api else message.encode()
    kind = b"application/json" if api else b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", kind)]})
    await send({"type": "http.response.body", "body": body})
