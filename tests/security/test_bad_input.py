"""Property tests at the edges: every form and every API body, fed anything.

Routes and their fields are read from the app itself, so a form or API model added later is
fuzzed without anyone listing it. What is sent: any Unicode (emoji, right-to-left marks,
combining characters), nulls (``\\x00``), lone surrogates where the transport carries them
(escaped in JSON; a form can't encode them), huge and negative numbers, impossible dates, wrong
types (lists, objects, booleans, null where text is expected), and one body of about 1 MB per
area. What must come back:

- the API: 422 with a ``detail`` list naming each field (``loc``, ``msg``), or another
  documented 4xx (400 unreadable body, 404, 409, 413); never a 5xx;
- a form: the page again with the field's reason (400), the "Please check" page naming the
  field (422), or the next page (303); never a 5xx;
- more than the size limit (1 MB): 413, with or without a Content-Length.

The analysis functions have their own property tests (tests/analysis/test_*_properties.py);
here they are reached through the review, story and note fields. Examples are few per route
(FUZZ_EXAMPLES) to keep CI time modest; SECONDCHANCE_FUZZ_EXAMPLES raises it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondchance.config import Settings
from secondchance.web import create_app
from webtools import Browser

API = "/api/v1"
EXAMPLES = max(5, int(os.environ.get("SECONDCHANCE_FUZZ_EXAMPLES", "8")) * 2)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
MEGABYTE = 1_048_576

# Strings that have broken web apps before, next to anything hypothesis makes up.
SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil",  # right-to-left override
    "e\u0301" * 40,  # combining accents
    "🙂" * 60,
    "💔🔥🧟‍♀️",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e308",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "2026-11-18T25:61",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\r\nSet-Cookie: sc_session=stolen",
    "x" * 5000,
]
TEXT = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=60), st.integers().map(str))
SURROGATES = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
NUMBERS = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=False))
SCALARS = st.one_of(TEXT, SURROGATES, NUMBERS, st.booleans(), st.none())
JSON_VALUES = st.one_of(
    SCALARS, st.lists(SCALARS, max_size=4), st.dictionaries(TEXT, SCALARS, max_size=3)
)


@dataclass(frozen=True)
class Form:
    path: str
    fields: tuple[str, ...]
    path_params: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    fields: tuple[str, ...]  # the JSON body's properties; empty when it takes no body
    query: tuple[str, ...]
    path_params: tuple[str, ...]


# Left out of the generic fuzz, each with the reason; each is covered elsewhere.
SKIP_FORMS = {
    "/login": "failures count towards the address's throttle (test_attacks.py fuzzes it)",
    "/signup": "a valid sign-up is argon2-slow; test_attacks.py and test_auth.py cover it",
    "/logout": "takes nothing; would sign alice out",
    "/settings/import": "a file upload: test_an_import_file_* below",
}
SKIP_OPERATIONS = {
    # test_api_schema.py sends it broken bodies only, which can never succeed.
    ("DELETE", f"{API}/account"): "would end the run if it succeeded (it needs the password)",
}


def _routes() -> tuple[list[Any], dict[str, Any]]:
    """Every route with its full path, and the API's OpenAPI schema."""
    app = create_app(
        Settings(database_url="sqlite://", environment="test", secret_key="only-listing"),
        migrate=False,
    )
    try:
        schema = app.openapi()
        try:
            from fastapi.routing import iter_route_contexts

            contexts = list(iter_route_contexts(app.routes))
        except ImportError:  # older FastAPI: the list is already flat
            contexts = list(app.routes)
    finally:
        app.state.engine.dispose()
    return [(c.path, getattr(c, "original_route", c)) for c in contexts], schema


ROUTES, SCHEMA = _routes()


def _body_fields(operation: dict[str, Any]) -> tuple[str, ...]:
    """The JSON body's properties as the schema documents them (a route that reads its own
    body, see ``deps.api_write``, documents it there too); empty when it takes no body."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return tuple(schema.get("properties", {}))


def _form_fields(path: str) -> tuple[str, ...]:
    """The fields a page that reads its own form (``deps.form_fields``) documents."""
    operation = SCHEMA["paths"].get(path, {}).get("post", {})
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/x-www-form-urlencoded", {}).get("schema", {})
    return tuple(schema.get("properties", {}))


def _collect() -> tuple[list[Form], list[Operation]]:
    forms, operations = [], []
    for path, route in ROUTES:
        if not isinstance(route, APIRoute):
            continue
        dependant = route.dependant
        params = tuple(p.name for p in dependant.path_params)
        query = tuple(p.alias for p in dependant.query_params)
        for method in sorted(route.methods or ()):
            if path.startswith(f"{API}/"):
                fields = _body_fields(SCHEMA["paths"][path][method.lower()])
                operations.append(Operation(method, path, fields, query, params))
            elif method == "POST" and path not in SKIP_FORMS:
                names = tuple(p.alias for p in dependant.body_params)
                forms.append(Form(path, names or _form_fields(path), params))
    return forms, operations


FORMS, OPERATIONS = _collect()
WRITES = [
    o
    for o in OPERATIONS
    if o.method in {"POST", "PUT", "DELETE"} and (o.method, o.path) not in SKIP_OPERATIONS
]
WITH_QUERY = [o for o in OPERATIONS if o.method == "GET" and (o.query or o.path_params)]


def _fill(path: str, params: tuple[str, ...], values: list[str]) -> str:
    for name, value in zip(params, values, strict=True):
        path = path.replace("{" + name + "}", value)
    return path


def _api_error_is_clear(response: Any, label: str, operation: Operation | None = None) -> None:
    """A success or a clear 4xx; with ``operation``, also one its schema documents, and an
    error body in the documented shape (the schema conformance schemathesis checks)."""
    status = response.status_code
    assert status < 500, f"{label}: {status} {response.text[:300]}"
    assert status in {200, 201, 204, 400, 404, 409, 413, 422}, (
        f"{label}: {status} {response.text[:300]}"
    )
    if operation is not None:
        documented = SCHEMA["paths"][operation.path][operation.method.lower()]["responses"]
        assert str(status) in documented, f"{label}: {status} isn't documented"
        if status != 204:
            assert response.headers["content-type"] == "application/json", label
        if status >= 400 and status != 422:
            body = response.json()
            assert set(body) == {"detail"} and isinstance(body["detail"], str), f"{label}: {body}"
    if status == 422:
        detail = response.json()["detail"]
        assert detail and all(e["loc"] and e["msg"] for e in detail), f"{label}: {detail}"


# Known and reported: when the form isn't on the page (no contact already running, step 4 still
# locked), a refused field's reason has nowhere to show; the page explains the state instead.
FORM_HIDDEN_WHEN = {
    "/no-contact/start": "No contact is already running",
    "/step4/talk": "Step 4 is locked for now",
    "/story/plan": "You haven't told me your story yet",
}


def _form_error_is_clear(response: Any, label: str, path: str = "") -> None:
    status = response.status_code
    assert status < 500, f"{label}: {status} {response.text[:300]}"
    # 429: deleting the account and changing the password are throttled like signing in.
    allowed = {200, 303, 400, 404, 409, 413, 422, 429}
    assert status in allowed, f"{label}: {status} {response.text[:300]}"
    if status == 400 and FORM_HIDDEN_WHEN.get(path, "\0") in response.text:
        return
    if status == 400:
        assert "field-error" in response.text or 'role="alert"' in response.text, (
            f"{label}: a 400 page that doesn't show which field: {response.text[:500]}"
        )
    if status == 422:
        assert "Please check" in response.text, f"{label}: {response.text[:300]}"


def test_the_fuzzers_found_the_routes() -> None:
    """Guards against the lists above silently coming out empty."""
    assert len(FORMS) > 15 and len(WRITES) > 15 and WITH_QUERY
    assert any(o.fields for o in WRITES)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.path)
def test_every_form_answers_anything_clearly(world: Any, form: Form) -> None:
    alice: Browser = world.signed_in()
    form_values = st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.text(max_size=80), st.sampled_from(SPECIAL), st.lists(TEXT))
            for name in form.fields
        },
    )
    ids = st.lists(
        st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), TEXT),
        min_size=len(form.path_params),
        max_size=len(form.path_params),
    )

    @FUZZ
    @given(values=form_values, params=ids)
    def post(values: dict[str, Any], params: list[str]) -> None:
        from urllib.parse import quote

        path = _fill(form.path, form.path_params, [quote(p, safe="") or "0" for p in params])
        response = alice.post(path, values)
        _form_error_is_clear(response, f"POST {path} {values!r}"[:400], form.path)

    post()


@pytest.mark.parametrize("operation", WRITES, ids=lambda o: f"{o.method} {o.path}")
def test_every_api_body_answers_anything_with_a_clear_4xx_or_success(
    world, operation: Operation
) -> None:  # type: ignore[no-untyped-def]
    alice: Browser = world.signed_in()
    known = st.fixed_dictionaries({}, optional={name: JSON_VALUES for name in operation.fields})
    bodies = st.one_of(known, JSON_VALUES)
    ids = st.lists(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        min_size=len(operation.path_params),
        max_size=len(operation.path_params),
    )

    @FUZZ
    @given(body=bodies, params=ids)
    def send(body: Any, params: list[str]) -> None:
        path = _fill(operation.path, operation.path_params, params)
        content = json.dumps(body)  # ASCII with \\u escapes: lone surrogates travel too
        response = alice.client.request(
            operation.method,
            path,
            content=content,
            headers={**world.bearer(), "content-type": "application/json"},
        )
        _api_error_is_clear(response, f"{operation.method} {path} {content[:300]}", operation)

    send()


@pytest.mark.parametrize("operation", WITH_QUERY, ids=lambda o: f"{o.method} {o.path}")
def test_every_api_query_answers_anything_with_a_clear_4xx_or_success(
    world, operation: Operation
) -> None:  # type: ignore[no-untyped-def]
    alice: Browser = world.signed_in()
    names = operation.query + operation.path_params

    @FUZZ
    @given(values=st.lists(TEXT, min_size=len(names), max_size=len(names)))
    def get(values: list[str]) -> None:
        from urllib.parse import quote

        query = dict(zip(operation.query, values, strict=False))
        path_values = [quote(v, safe="") or "0" for v in values[len(operation.query) :]]
        path = _fill(operation.path, operation.path_params, path_values)
        response = alice.client.get(path, params=query, headers=world.bearer())
        _api_error_is_clear(response, f"GET {path} {query!r}"[:400], operation)

    get()


# One ~1 MB text per area: the form field and the API field where a person writes the most.
BIG_FORMS = [
    ("/welcome", "name"),
    ("/welcome/story", "story"),
    ("/help/plan", "reasons"),
    ("/checkin", "note"),
    ("/focus/activities", "note"),
    ("/letters", "body"),
    ("/memories", "body"),
    ("/contact", "note"),
    ("/sos/letter", "body"),
    ("/step4/review", "draft"),
    ("/settings/tokens", "name"),
]
BIG_API = [
    ("PUT", "/profile", "name"),
    ("POST", "/story", "text"),
    ("PUT", "/safety-plan", "reasons"),
    ("POST", "/checkins", "note"),
    ("POST", "/activities", "note"),
    ("POST", "/letters", "body"),
    ("POST", "/memories", "text"),
    ("POST", "/contacts", "note"),
    ("POST", "/urges", "trigger"),
    ("POST", "/review", "text"),
    ("POST", "/conversations", "note"),
    ("POST", "/tokens", "name"),
]


def test_the_big_lists_name_real_routes() -> None:
    forms = {f.path: f.fields for f in FORMS}
    for path, field in BIG_FORMS:
        assert field in forms[path], (path, field)
    operations = {(o.method, o.path): o.fields for o in OPERATIONS}
    for method, path, field in BIG_API:
        assert field in operations[(method, API + path)], (method, path, field)


@pytest.mark.parametrize(("path", "field"), BIG_FORMS)
def test_a_megabyte_in_any_form_is_refused_with_413(world: Any, path: str, field: str) -> None:
    response = world.signed_in().post(path, {field: "💔" * (MEGABYTE // 4)})  # 4 bytes each
    assert response.status_code == 413, f"{path}: {response.status_code}"
    assert "more than we can take" in response.text


@pytest.mark.parametrize(("method", "path", "field"), BIG_API)
def test_a_megabyte_in_any_api_body_is_refused_with_413(
    world: Any, method: str, path: str, field: str
) -> None:
    body = json.dumps({field: "a" * MEGABYTE})
    response = world.alice.client.request(
        method,
        API + path,
        content=body,
        headers={**world.bearer(), "content-type": "application/json"},
    )
    assert response.status_code == 413, f"{path}: {response.status_code}"


def test_a_megabyte_sent_without_a_length_is_refused_with_413(world: Any) -> None:
    """Chunked, so no Content-Length to refuse early: the body is counted as it arrives."""

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"title": "x", "body": "'
        for _ in range(20):
            yield b"a" * 65536
        yield b'"}'

    response = world.alice.client.post(
        f"{API}/letters",
        content=chunks(),
        headers={**world.bearer(), "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["detail"]


def test_just_under_the_limit_is_a_clear_too_long_not_a_crash(world: Any) -> None:
    text = "a" * 900_000  # under the 1 MB body limit, over the 100,000 characters a text takes
    api = world.alice.client.post(
        f"{API}/letters", json={"title": "t", "body": text}, headers=world.bearer()
    )
    assert api.status_code == 422
    assert "too long" in json.dumps(api.json()) or "at most" in json.dumps(api.json())
    form = world.signed_in().post("/letters", {"title": "t", "body": text})
    assert form.status_code in (400, 422), (form.status_code, form.headers.get("location"))
    assert "too long" in form.text or "at most" in form.text or "Please check" in form.text


def test_an_import_over_its_own_larger_limit_is_refused_with_413(world: Any) -> None:
    response = world.alice.client.post(
        f"{API}/import",
        content=b" " * 25_000_001,
        headers={**world.bearer(), "content-type": "application/json"},
    )
    assert response.status_code == 413
