"""Every router: each module here may define ``router`` (HTML pages) and ``api`` (JSON under
/api/v1). Modules are found by name, so adding an area is adding a file."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

# Matched first: the app shell (the load balancer's health checks), then the requests made most
# (Today, the live review posted as someone types, and the daily check-in, the API's busiest
# write), then signing in and onboarding, before any other area's pages: routes are tried one
# by one, and no page's path is a pattern that could take another's (tests/web/test_routes.py).
FIRST = ("system", "today", "step4_compose", "checkin", "auth", "onboarding", "help")
# Before even those modules' other routers: the routers of the three busiest requests. Each
# router tried costs FastAPI a pass over its routes (about 20-40 µs), and a module's API
# router came after its pages': the check-in was the seventh tried, the live review the fourth.
HOT = (("today", "router"), ("step4_compose", "router"), ("checkin", "api"))


def _modules() -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [*[m for m in FIRST if m in found], *[m for m in found if m not in FIRST]]


def _collect() -> list[tuple[APIRouter, str]]:
    routers: list[tuple[str, str, APIRouter]] = []
    for name in _modules():
        module = importlib.import_module(f"{__name__}.{name}")
        for kind in ("router", "api"):
            if isinstance(getattr(module, kind, None), APIRouter):
                routers.append((name, kind, getattr(module, kind)))
    # The app shell stays first (it is the bare endpoint the benchmarks compare with).
    shell = [r for r in routers if r[0] == "system"]
    hot = [r for key in HOT for r in routers if r[:2] == key]
    rest = [r for r in routers if r not in shell and r not in hot]
    return [(router, "api" if kind == "api" else "") for _, kind, router in shell + hot + rest]


# (router, "api" for /api/v1 or "" for pages), in the order they are matched.
ROUTERS: list[tuple[APIRouter, str]] = _collect()
