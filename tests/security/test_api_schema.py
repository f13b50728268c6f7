"""schemathesis against /api/v1: every operation, generated from its own OpenAPI schema.

For each operation, in-process against the real app (SQLite, migrations, middleware, CSRF):

- as alice with a personal access token (``Authorization: Bearer``): schema-valid requests
  (positive), and schema-breaking ones (negative: wrong types, missing fields, bad JSON) for
  deleting the account, which test_bad_input.py (the fuzzer of broken requests) leaves out;
- as a stranger with no token, and as carol, who has a token but no profile yet.

Checks: no 5xx; every status code is documented; the Content-Type, headers and JSON body of
every answer match the schema; negative requests are refused with a 4xx. Examples per
operation are small so CI stays well under a minute; SECONDCHANCE_FUZZ_EXAMPLES=200 runs a
deeper pass (RELIABILITY.md records one).

Not checked: schemathesis' "positive data acceptance" (a schema-valid body must be accepted).
Many rules (a goal is one of three words, a day not in the future) live in the services and
answer 422 with the field's reason, rather than being spelled out in the schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from sqlalchemy import select

from secondchance import clock
from secondchance.config import Settings
from secondchance.models import ApiToken
from secondchance.services.accounts import create_api_token, digest
from secondchance.services.people import find_user
from secondchance.web import create_app
from webtools import Browser, sign_up

schemathesis = pytest.importorskip(
    "schemathesis",
    reason="schemathesis is not installed (pip install 'schemathesis>=4.32,<5'): API fuzz skipped",
)
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

API = "/api/v1"
EXAMPLES = int(os.environ.get("SECONDCHANCE_FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Operations that would end the run if a random request happened to succeed. Each is fuzzed
# (its body, and as a stranger) but its effect is tested elsewhere: test_settings.py.
ENDS_THE_ACCOUNT = {("DELETE", f"{API}/account")}


def _operations() -> list[tuple[str, str]]:
    app = create_app(
        Settings(database_url="sqlite://", environment="test", secret_key="only-listing"),
        migrate=False,
    )
    try:
        paths = app.openapi()["paths"]
    finally:
        app.state.engine.dispose()
    return [
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith(f"{API}/")
        for method in operations
    ]


OPERATIONS = _operations()


@dataclass
class Api:
    app: Any
    schema: Any
    alice_token: str
    carol_token: str

    def alice(self) -> dict[str, str]:
        """Alice's token, made again if a fuzzed DELETE /tokens/{id} happened to revoke it."""
        with self.app.state.sessions() as session, session.begin():
            known = session.scalar(
                select(ApiToken.id).where(ApiToken.token_hash == digest(self.alice_token))
            )
            if known is None:
                _, self.alice_token = create_api_token(
                    session, find_user(session, "alice"), "fuzz", clock.now()
                )
        return {"Authorization": f"Bearer {self.alice_token}"}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    folder = tmp_path_factory.mktemp("fuzz")
    settings_ = Settings(
        database_url=f"sqlite:///{folder / 'fuzz.db'}", environment="test", secret_key="fuzz"
    )
    app = create_app(settings_)
    sign_up(Browser(app), "alice")
    sign_up(Browser(app), "carol", profile=False)
    with app.state.sessions() as session, session.begin():
        _, alice = create_api_token(session, find_user(session, "alice"), "fuzz", clock.now())
        _, carol = create_api_token(session, find_user(session, "carol"), "fuzz", clock.now())
    schema = schemathesis.openapi.from_asgi(f"{API}/openapi.json", app)
    yield Api(app, schema, alice, carol)
    app.state.engine.dispose()


def _run(operation: Any, mode: Any, examples: int, headers: Any, checks: list) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers(), checks=checks)

    try:
        check()
    except Unsatisfiable:
        # Negative mode on an operation with nothing to break (no body, no parameters).
        pytest.skip("nothing in this operation's schema can be made invalid")


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=lambda v: str(v))
def test_alice_with_a_token_gets_documented_answers(api: Api, method: str, path: str) -> None:
    if (method, path) in ENDS_THE_ACCOUNT:
        pytest.skip("deleting the account would end the run; its body is fuzzed as negative")
    operation = api.schema[path][method]
    _run(operation, schemathesis.GenerationMode.POSITIVE, EXAMPLES, api.alice, CHECKS)


# Broken requests (wrong types, missing fields, bad JSON) to every other operation are the
# other fuzzer's (test_bad_input.py, on SQLite and PostgreSQL, with the same checks: a clear,
# documented 4xx in the documented shape); it leaves out only what would end its run.
@pytest.mark.parametrize(("method", "path"), sorted(ENDS_THE_ACCOUNT), ids=lambda v: str(v))
def test_broken_requests_are_refused_with_a_4xx(api: Api, method: str, path: str) -> None:
    operation = api.schema[path][method]
    _run(operation, schemathesis.GenerationMode.NEGATIVE, EXAMPLES, api.alice, CHECKS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=lambda v: str(v))
def test_strangers_and_people_without_a_profile_get_documented_answers(
    api: Api, method: str, path: str
) -> None:
    operation = api.schema[path][method]
    few = max(2, EXAMPLES // 4)
    _run(operation, schemathesis.GenerationMode.POSITIVE, few, dict, CHECKS)
    carol = {"Authorization": f"Bearer {api.carol_token}"}
    _run(operation, schemathesis.GenerationMode.POSITIVE, few, lambda: carol, CHECKS)
