"""A live casepath server, Debian's Chromium and a fresh browser page per test.

The whole package is skipped, with the reason, where /usr/bin/chromium,
Playwright or node_modules/bpmn-js is missing; with CI=true it fails instead,
because CI always installs them.
"""

import os
import secrets
import threading
from pathlib import Path

import pytest

from .flows import CLIENT_FIRMS, DESKTOP, ENGINEERS, MANAGER, PASSWORD, client_name

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
BPMN_VIEWER = ROOT / "node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_prerequisite():
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (requirements-dev.txt)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent: install Debian's chromium package"
    if not BPMN_VIEWER.exists():
        return "node_modules/bpmn-js is not installed: run `make install` (npm ci)"
    return None


@pytest.fixture(scope="session", autouse=True)
def prerequisites():
    """Skip the package where the browser or bpmn-js is missing; fail in CI."""
    reason = missing_prerequisite()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests, but {reason}", pytrace=False)
    pytest.skip(reason)


def add_users():
    """Staff of every lane (two engineers per group), a manager, a process owner,
    clients; all 'pw'."""
    from cli.users import add_user
    from models import db

    staff = {"levelone": ["Level One"], "support": ["Support"], "triage": ["Triage"]}
    for team, names in ENGINEERS.items():
        staff.update({name: [f"Engineering {team}"] for name in names})
    for name, groups in staff.items():
        add_user(name, groups, password=PASSWORD)
    add_user(MANAGER, [], manager=True, password=PASSWORD)
    add_user("owner", [], owner=True, password=PASSWORD)
    for firm in CLIENT_FIRMS:
        add_user(client_name(firm), ["Client"], firm=firm, password=PASSWORD)
    db.session.commit()


@pytest.fixture(scope="session")
def live_server(prerequisites, tmp_path_factory):
    """casepath on a fresh SQLite file, served on 127.0.0.1 and a free port."""
    from werkzeug.serving import make_server

    from app import create_app
    from models import db

    path = tmp_path_factory.mktemp("browser-db") / "casepath.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": secrets.token_hex(32),
        }
    )
    with app.app_context():
        add_users()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="casepath", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def chromium(prerequisites):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


def watch(page, problems):
    """Note uncaught script errors, server errors and failed requests.

    Missing assets (4xx) are test_page_assets.py's to show, once.
    """
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def on_response(response):
        if response.status >= 500:
            problems.append(f"{response.status} for {response.url}")

    def on_failed(request):
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"{request.failure} for {request.url}")

    page.on("response", on_response)
    page.on("requestfailed", on_failed)


@pytest.fixture
def open_page(chromium, live_server):
    """Open a page in a new browser context (own cookies) of the given viewport."""
    contexts, problems = [], []

    def open_(viewport=DESKTOP):
        context = chromium.new_context(base_url=live_server, viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch(page, problems)
        return page

    yield open_
    for context in contexts:
        context.close()
    distinct = list(dict.fromkeys(problems))
    assert not distinct, "the pages had errors:\n" + "\n".join(distinct)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    chosen = os.environ.get("CASEPATH_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def shot(screenshot_dir):
    """shot(page, name): a full-page PNG into CASEPATH_SCREENSHOTS (or a tmp dir)."""

    def take(page, name):
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
