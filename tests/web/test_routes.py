"""The order routes are tried in (busiest first, see web/routes/__init__.py) decides nothing:
no route's pattern takes a path that another route, tried later, names exactly."""

from __future__ import annotations

from starlette.routing import compile_path

from secondchance.web.app import API_PREFIX
from secondchance.web.routes import ROUTERS


def test_no_route_takes_a_path_meant_for_a_later_one() -> None:
    tried: list[tuple[str, set[str]]] = []  # (path, methods), in the order they are tried
    for router, prefix in ROUTERS:
        for route in router.routes:
            path = (API_PREFIX if prefix == "api" else "") + route.path  # type: ignore[attr-defined]
            tried.append((path, set(getattr(route, "methods", None) or ())))
    paths = [path for path, _ in tried]
    assert paths.index("/") < paths.index("/login") < paths.index("/settings")
    for index, (path, methods) in enumerate(tried):
        if "{" in path:
            continue
        for earlier, earlier_methods in tried[:index]:
            if earlier == path or not methods & earlier_methods:
                continue
            pattern = compile_path(earlier)[0]
            assert not pattern.match(path), f"{earlier} would answer {path}"
