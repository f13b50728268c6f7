"""Edge cases the fuzzers found, each kept as a plain test: what was sent, what must come back."""

from __future__ import annotations

import pytest

from webtools import Browser

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
