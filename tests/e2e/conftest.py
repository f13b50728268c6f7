"""Real-browser tests: the real app under uvicorn, driven by headless Chromium through Playwright.

One server (with its own SQLite file) per test module and one browser per test process; every
test gets a fresh browser context (cookies, storage) whose page is watched for console errors,
uncaught script errors, Content-Security-Policy violations and server errors. A test fails if
any of those happen, unless it says which one it expects.

The tests need Chromium at /usr/bin/chromium (``apt-get install chromium``; ``.ci/run`` does
that), or the path in SECONDCHANCE_E2E_CHROMIUM. Without it they are skipped, saying why,
so a developer without Chromium still gets a green run; CI sets SECONDCHANCE_E2E_REQUIRED=1,
which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.orm import Session

from e2e.browse import DESKTOP, PHONE
from secondchance.config import Settings
from secondchance.web import create_app

CHROMIUM = Path(os.environ.get("SECONDCHANCE_E2E_CHROMIUM", "/usr/bin/chromium"))
NO_CHROMIUM = (
    f"Chromium is not at {CHROMIUM}: real-browser tests skipped "
    "(apt-get install chromium, or set SECONDCHANCE_E2E_CHROMIUM)"
)
# Quiet and self-contained: no updates, no sync, no network beyond the app under test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# Generous for a busy CI machine; a healthy run never comes near it.
TIMEOUT_MS = 15_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the real app in headless Chromium")


def _needs_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("SECONDCHANCE_E2E_REQUIRED") == "1":
        pytest.fail(NO_CHROMIUM)
    pytest.skip(NO_CHROMIUM)


@pytest.fixture(autouse=True)
def _chromium_present() -> None:
    _needs_chromium()


@dataclass
class Site:
    """The running app: its address, and the app object for setting up data directly."""

    url: str
    app: object

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A database transaction, committed on leaving (for setting up data in a test)."""
        session = self.app.state.sessions()  # type: ignore[attr-defined]
        try:
            yield session
            session.commit()
        finally:
            session.close()


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _wait_until_healthy(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the app server stopped while starting")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the app at {url} did not become healthy in 20 seconds")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: str) -> Iterator[Site]:
    """The real app on a fresh SQLite file (a copy of the migrated template), served by uvicorn
    on a free port."""
    _needs_chromium()
    folder = tmp_path_factory.mktemp("e2e")
    shutil.copyfile(sqlite_template, folder / "secondchance.db")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'secondchance.db'}",
        environment="test",
        secret_key="e2e-secret-key-not-for-production",
    )
    app = create_app(settings)
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, thread)
        yield Site(url=url, app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """One headless Chromium per test process."""
    _needs_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What went wrong in the browser while a test ran; empty when all was well."""

    console_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)

    def expect(self, fragment: str) -> None:
        """Allow console errors containing ``fragment`` (e.g. a 400 from a refused form)."""
        self.expected.append(fragment)

    def problems(self) -> list[str]:
        unexpected = [
            f"console: {text}"
            for text in self.console_errors
            if not any(fragment in text for fragment in self.expected)
        ]
        return [
            *unexpected,
            *(f"script error: {text}" for text in self.script_errors),
            *(f"CSP violation: {text}" for text in self.csp_violations),
            *(f"server error: {text}" for text in self.server_errors),
        ]


# Runs before any page script, in every frame; reports violations to the test through a
# binding, so they survive navigation.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


def open_page(  # type: ignore[no-untyped-def]
    chromium,
    site: Site,
    watch: Watch,
    *,
    viewport=PHONE,
    dark: bool = False,
    scale: float = 1,
    cookies: list | None = None,
    script: bool = True,
    service_workers: str = "allow",
):
    """A new, watched page at ``viewport`` size; ``dark`` asks the browser for a dark scheme,
    ``scale`` is the device pixel ratio (2 for sharp screenshots), ``cookies`` start it signed
    in (from ``signed_in_cookies``), ``script=False`` switches JavaScript off, and
    ``service_workers="block"`` keeps the app's worker from installing."""
    phone = viewport["width"] < 600
    context = chromium.new_context(
        base_url=site.url,
        viewport=viewport,
        device_scale_factor=scale,
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
        timezone_id="Europe/London",
        color_scheme="dark" if dark else "light",
        accept_downloads=True,
        java_script_enabled=script,
        service_workers=service_workers,
    )
    context.set_default_timeout(TIMEOUT_MS)
    if cookies:
        context.add_cookies(cookies)
    if dark:
        # The app's own switch, as the theme button leaves it; the scheme above covers "auto".
        context.add_cookies([{"name": "sc_theme", "value": "dark", "url": site.url}])
    context.expose_binding(
        "__reportCspViolation", lambda source, text: watch.csp_violations.append(text)
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.watch = watch
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(f"{page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: watch.script_errors.append(f"{page.url}: {error}"))
    page.on(
        "response",
        lambda response: (
            watch.server_errors.append(f"{response.status} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    return page


@pytest.fixture(scope="module")
def signed_in_cookies(chromium, site: Site):  # type: ignore[no-untyped-def]
    """``signed_in_cookies(username, password)``: sign in once through the form and return the
    cookies, so that pages can start signed in (``pages(cookies=...)``)."""
    from e2e.browse import sign_in

    def cookies_for(username: str, password: str) -> list:
        watch = Watch()
        page = open_page(chromium, site, watch)
        sign_in(page, username, password)
        cookies = page.context.cookies()
        page.context.close()
        assert not watch.problems(), watch.problems()
        return cookies

    return cookies_for


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def pages(chromium, site: Site, watch: Watch):  # type: ignore[no-untyped-def]
    """Open watched pages: ``pages(viewport=..., dark=..., scale=...)``, see ``open_page``.

    On teardown every page's context is closed and the test fails on what the browser saw.
    """
    opened = []

    def new_page(**options):  # type: ignore[no-untyped-def]
        page = open_page(chromium, site, watch, **options)
        opened.append(page)
        return page

    yield new_page
    for page in opened:
        page.context.close()
    problems = watch.problems()
    assert not problems, "the browser saw problems:\n" + "\n".join(problems)


@pytest.fixture
def page(pages):  # type: ignore[no-untyped-def]
    """A fresh phone-sized page (390×844), failing the test on console/CSP/server errors."""
    return pages()


@pytest.fixture
def desktop_page(pages):  # type: ignore[no-untyped-def]
    """Like ``page``, at desktop size (1280×800)."""
    return pages(viewport=DESKTOP)


@pytest.fixture(params=["light", "dark"])
def themed_page(request: pytest.FixtureRequest, pages):  # type: ignore[no-untyped-def]
    """Like ``page``, once in light and once in dark mode (``page.theme`` says which)."""
    page = pages(dark=request.param == "dark")
    page.theme = request.param
    return page
