"""What makes the site an installable app: manifest, service worker, offline page, health."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from secondchance.services.system import check_database
from secondchance.web.app_paths import STATIC

router = APIRouter()


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest() -> Response:
    return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    # Served from the root so it may look after every page; never cached itself, so an update
    # reaches people on their next visit.
    return FileResponse(
        STATIC / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/offline", include_in_schema=False)
def offline(request: Request) -> Response:
    return request.app.state.templates.TemplateResponse(request, "pages/offline.html", {})


@router.get("/healthz", include_in_schema=False)
def health(request: Request) -> Response:
    check_database(request.app.state.engine)
    return JSONResponse({"ok": True})


@router.get("/healthz/live", include_in_schema=False)
async def live() -> Response:
    """The process answers: touches nothing (no database, no template, no threadpool).

    A liveness probe for process managers, and the ceiling that bench/bench_http.py compares
    every page with.
    """
    return JSONResponse({"ok": True})
