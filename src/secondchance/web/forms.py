"""Small helpers for HTML forms: turning InputErrors into a page that keeps what was typed."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from secondchance.services.errors import InputError
from secondchance.web.templating import page


def form_error(
    request: Request,
    template: str,
    error: InputError,
    values: dict[str, Any],
    context: dict[str, Any] | None = None,
) -> HTMLResponse:
    """Show the form again with the field's reason, everything typed kept, and status 400."""
    return page(
        request,
        template,
        {**(context or {}), "errors": {error.field: error.message}, "values": values},
        400,
    )


def checkbox(value: str | None) -> bool:
    """An HTML checkbox sends its value when ticked and nothing when not."""
    return value is not None and value.lower() not in {"", "0", "false", "no", "off"}
