"""Edge cases the fuzzers found, each kept as a plain test: what was sent, what must come back."""

from __future__ import annotations

from pathlib import Path

import pytest

from secondchance.config import Settings
from secondchance.web import create_app
from webtools import Browser

# On PostgreSQL too: an id past PostgreSQL's INTEGER once crashed there only.
pytestmark = pytest.mark.every_database

# Ids no row can have: past 32 bits (PostgreSQL's INTEGER), past 64 bits (SQLite's), zero,
# negative. Each once crashed the driver ("Python int too large to convert to SQLite INTEGER",
# or PostgreSQL's "integer out of range") instead of saying "not found".
IMPOSSIBLE_IDS = [2**31, 2**63, 10**30, 0, -1]


@pytest.mark.parametrize("row_id", IMPOSSIBLE_IDS)
def test_an_id_no_row_can_have_is_simply_not_found(alice: Browser, row_id: int) -> None:
    for method, path in [
        ("GET", f"/api/v1/letters/{row_id}"),
        ("GET", f"/api/v1/activities/{row_id}"),
        ("DELETE", f"/api/v1/memories/{row_id}"),
        ("DELETE", f"/api/v1/tokens/{row_id}"),
    ]:
        response = alice.api(method, path)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
        assert response.headers["content-type"] == "application/json"
    for path in [f"/letters/{row_id}", f"/memories/{row_id}", f"/step4/ready/{row_id}"]:
        assert alice.get(path).status_code == 404, path
    assert alice.post(f"/memories/{row_id}/remove").status_code == 404
    assert alice.post(f"/settings/tokens/{row_id}/revoke").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/api/v1/checkins/%2F", "/api/v1/letters/%2F", "/api/v1/activities/", "/api/v1/status/"],
)
def test_an_api_path_ending_in_a_slash_is_not_found_not_redirected_to_the_list(
    alice: Browser, path: str
) -> None:
    # The fuzzer asked for the check-in of day "/" and was sent, with a 307, to all of them.
    response = alice.api("GET", path, follow_redirects=False)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_a_page_path_ending_in_a_slash_still_opens_the_page(alice: Browser) -> None:
    response = alice.get("/settings/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"].endswith("/settings")


def test_every_api_operation_documents_the_errors_it_can_give(tmp_path: Path) -> None:
    """schemathesis found answers the schema didn't list: 401 for strangers, 404 for an id that
    isn't yours, 404 before a story is told, 200 when the plan was already running, 400 for a
    body that isn't UTF-8. Each comes from a shared handler, so each operation must list it.

    The schema is the routes', whatever the database: read once, on SQLite."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'schema.db'}",
        environment="test",
        secret_key="test-secret-key",
    )
    app = create_app(settings)
    schema = app.openapi()
    app.state.engine.dispose()
    operations = [
        (path, method, op)
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, op in ops.items()
    ]
    assert len(operations) > 30
    for path, method, op in operations:
        documented = set(op["responses"])
        assert {"400", "401", "403", "409", "413", "503"} <= documented, f"{method} {path}"
        if "{" in path:
            assert "404" in documented, f"{method} {path}"
    assert "404" in schema["paths"]["/api/v1/story"]["get"]["responses"]
    assert {"200", "201"} <= set(schema["paths"]["/api/v1/story/plan"]["post"]["responses"])
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_a_body_that_is_not_utf8_is_a_clear_400(alice: Browser) -> None:
    response = alice.api(
        "POST",
        "/api/v1/urges",
        content=b'{"intensity": 5, "trigger": "\xff\xfe"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


DEEP = b"[" * 200_000  # JSON nested deeper than Python's recursion limit


def test_an_import_file_nested_too_deep_is_refused_not_a_crash(alice: Browser) -> None:
    response = alice.client.post(
        "/settings/import",
        data={"csrf_token": alice.csrf()},
        files={"file": ("export.json", DEEP, "application/json")},
    )
    assert response.status_code == 400
    assert "isn&#39;t JSON" in response.text
    for path in ["/api/v1/import", "/api/v1/letters"]:
        api = alice.api("POST", path, content=DEEP, headers={"content-type": "application/json"})
        assert api.status_code == 400, path


def test_the_cli_refuses_an_import_file_nested_too_deep(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from secondchance.cli import app as cli

    path = tmp_path / "deep.json"
    path.write_bytes(DEEP)
    env = {"SECONDCHANCE_DATABASE_URL": db_url}
    result = CliRunner().invoke(cli, ["import", str(path)], env=env, catch_exceptions=False)
    assert result.exit_code == 1
    assert "isn't a JSON export file" in result.output


def test_the_profile_form_says_what_is_wrong_with_who_ended_it(alice: Browser) -> None:
    """The fuzzer sent who_ended=0: a 400 whose page showed no reason anywhere."""
    alice.get("/welcome")
    response = alice.post(
        "/welcome",
        {"name": "Alice", "ex_name": "Sam", "ex_pronouns": "he", "who_ended": "0"},
    )
    assert response.status_code == 400
    assert 'class="field-error" id="who_ended-error"' in response.text


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r/x", "/\x7f"])
def test_a_next_page_with_control_characters_goes_to_today(target: str) -> None:
    """Browsers drop tabs and newlines from URLs: "/<tab>/evil.example" is "//evil.example"."""
    from secondchance.web.deps import safe_next

    assert safe_next(target) == "/"
    assert safe_next("/help/plan?from=sos") == "/help/plan?from=sos"
