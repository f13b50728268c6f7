"""Web push: the server's VAPID keys, the browsers subscribed, and sending one message.

The keys are made on first run and kept in the database (``server_keys``), so every app
process signs with the same pair and browsers stay subscribed across restarts. Messages are
encrypted to each browser's own keys (RFC 8291, aes128gcm) by ``pywebpush``; the push service
only ever sees ciphertext. ``send`` is the network edge and touches no database.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from secondchance.models import PushSubscription, ServerKey, User
from secondchance.services.errors import InputError

log = logging.getLogger("secondchance.push")

VAPID = "vapid"
# The push services browsers use. A subscription naming any other host is refused, so nobody
# can make the server post to an address of their choosing. Hosts match exactly or as a parent
# domain ("notify.windows.com" covers "wns2-par02p.notify.windows.com").
PUSH_SERVICES = (
    "fcm.googleapis.com",
    "push.services.mozilla.com",
    "web.push.apple.com",
    "notify.windows.com",
)


def services_for(hosts: list[str]) -> tuple[str, ...]:
    """The push service hosts to allow: the operator's list, or the browsers' own."""
    return tuple(h.strip() for h in hosts if h.strip()) or PUSH_SERVICES


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# How long a push service keeps a message for a phone that is off: a reminder a day late is
# no use, a few hours late still is.
TTL_SECONDS = 4 * 60 * 60
TIMEOUT_SECONDS = 10
# Answers that mean the browser unsubscribed or the subscription expired: forget it.
GONE = frozenset({404, 410})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class VapidKeys:
    private_key: str  # base64url DER (PKCS#8), what py_vapid reads
    public_key: str  # base64url uncompressed point: the browser's applicationServerKey


def _new_keys() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64(private), _b64(public)


def vapid_keys(session: Session) -> VapidKeys | None:
    """Return the server's VAPID keys, or None before they are made."""
    row = session.get(ServerKey, VAPID)
    return None if row is None else VapidKeys(row.private_key, row.public_key)


def ensure_vapid_keys(session: Session, now: datetime) -> VapidKeys:
    """Return the VAPID keys, making them the first time.

    Two processes starting at once may both try: the second's insert meets the primary key,
    is rolled back to its savepoint, and it reads the first one's keys instead.
    """
    found = vapid_keys(session)
    if found is not None:
        return found
    private, public = _new_keys()
    try:
        with session.begin_nested():
            session.add(
                ServerKey(name=VAPID, private_key=private, public_key=public, created_at=now)
            )
    except IntegrityError:
        found = vapid_keys(session)
        assert found is not None
        return found
    return VapidKeys(private, public)


def allowed_endpoint(endpoint: str, allowed: tuple[str, ...]) -> bool:
    """True for an https address on one of the ``allowed`` push service hosts (plain http
    only on this machine's loopback, for tests and development)."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    known = any(host == h.lower() or host.endswith("." + h.lower()) for h in allowed)
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)
    return len(endpoint) <= 1000 and known and secure


def _check_endpoint(endpoint: str, allowed: tuple[str, ...]) -> str:
    endpoint = endpoint.strip()
    if not allowed_endpoint(endpoint, allowed):
        raise InputError("endpoint", "this browser's push service isn't one we can send to")
    return endpoint


def _check_key(field: str, value: str, size: int) -> str:
    try:
        raw = _unb64(value.strip())
    except ValueError:
        raw = b""
    if len(raw) != size or (field == "p256dh" and raw[0] != 4):
        raise InputError(field, "the browser's key doesn't look right")
    return value.strip()


def subscribe(
    session: Session,
    user: User,
    endpoint: str,
    p256dh: str,
    auth: str,
    now: datetime,
    allowed: tuple[str, ...] = PUSH_SERVICES,
) -> PushSubscription:
    """Keep this browser's subscription for ``user``; returns the row.

    The same browser subscribing again updates its keys; a browser that belonged to someone
    else (a shared computer) moves to ``user``. Raises InputError for an endpoint not on a push
    service in ``allowed`` or keys that aren't P-256 / 16 bytes.
    """
    endpoint = _check_endpoint(endpoint, allowed)
    p256dh = _check_key("p256dh", p256dh, 65)
    auth = _check_key("auth", auth, 16)
    row = session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        row = PushSubscription(user_id=user.id, endpoint=endpoint, created_at=now)
        session.add(row)
    row.user_id, row.p256dh, row.auth = user.id, p256dh, auth
    session.flush()
    return row


def unsubscribe(session: Session, user: User, endpoint: str | None = None) -> int:
    """Forget one of ``user``'s browsers (by endpoint), or all of them; returns how many."""
    query = delete(PushSubscription).where(PushSubscription.user_id == user.id)
    if endpoint is not None:
        query = query.where(PushSubscription.endpoint == endpoint.strip())
    return session.execute(query).rowcount or 0  # type: ignore[attr-defined]


def device_count(session: Session, user: User) -> int:
    query = select(func.count()).where(PushSubscription.user_id == user.id)
    return session.scalar(query) or 0


def forget(session: Session, ids: list[int]) -> None:
    """Delete the subscriptions whose push service said they are gone."""
    if ids:
        session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids)))


@dataclass(frozen=True)
class Target:
    """One browser to send to, copied out of the database so sending needs no session."""

    id: int
    user_id: int
    endpoint: str
    p256dh: str
    auth: str


def target(row: PushSubscription) -> Target:
    return Target(row.id, row.user_id, row.endpoint, row.p256dh, row.auth)


def vapid_subject(contact: str) -> str:
    """The ``sub`` claim push services want: a mailto: or https: address of the operator."""
    contact = contact.strip()
    if contact.startswith(("mailto:", "https://")):
        return contact
    if "@" in contact:
        return f"mailto:{contact}"
    return "mailto:secondchance@localhost.invalid"


def send(
    to: Target,
    message: dict[str, str],
    keys: VapidKeys,
    subject: str,
    timeout: float = TIMEOUT_SECONDS,
) -> int | None:
    """Encrypt ``message`` (as JSON) for one browser and post it to its push service.

    Returns the push service's HTTP status (201 when accepted), or None when it couldn't be
    reached. Signs with VAPID (RFC 8292) so the service knows which server sent it.
    """
    parts = urlsplit(to.endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "sub": vapid_subject(subject),
        "exp": int(time.time()) + 12 * 60 * 60,
    }
    headers = Vapid02.from_der(keys.private_key.encode("ascii")).sign(claims)
    headers["Urgency"] = "normal"
    subscription = {"endpoint": to.endpoint, "keys": {"p256dh": to.p256dh, "auth": to.auth}}
    body = json.dumps(message, ensure_ascii=False)
    # Imported here, not at the top: pywebpush brings aiohttp and requests (about half a second
    # of start-up), which every CLI command and server start paid without sending anything.
    from pywebpush import WebPusher

    try:
        response = WebPusher(subscription).send(
            body, headers, ttl=TTL_SECONDS, content_encoding="aes128gcm", timeout=timeout
        )
    except OSError as error:  # requests' ConnectionError and Timeout are OSErrors
        log.warning("push to %s failed: %s", parts.netloc, type(error).__name__)
        return None
    return int(response.status_code)  # type: ignore[union-attr]
