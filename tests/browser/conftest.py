"""Playwright driving Debian's chromium by path; browsers are never downloaded."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("WRAPAROUND_CHROMIUM", "/usr/bin/chromium")
# No network here: these flags stop chromium's background calls to Google's hosts.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium_browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM}: CI must install Debian's chromium")
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() starts chromium with a new, empty profile of its own each run.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium_browser):
    """The browser a test uses: every page it opens is checked by axe (below)."""
    return _WatchedBrowser(chromium_browser)


class _WatchedBrowser:
    """The session's browser, but every page it opens is watched by axe."""

    def __init__(self, real):
        self._real = real

    def new_page(self, **kwargs):
        page = self._real.new_page(**kwargs)
        _watch(page)
        return page

    def new_context(self, **kwargs):
        context = self._real.new_context(**kwargs)
        context.on("page", _watch)
        return context

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


# --- axe on every page a browser test visits -----------------------------------------------
# Every HTML document a test's pages receive (each navigation, form post and redirect target)
# is kept as it arrived; at the test's end each is loaded again into a page of the same origin
# and checked by axe-core (shipped by the axe-playwright-python package: nothing is fetched),
# for WCAG 2.2 A and AA and axe's best practices. Keeping the documents, rather than checking
# on each "load", means no page escapes because the test moved on before axe finished.

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
_documents: dict[tuple[str, int], tuple[str, str]] = {}
UNSTYLED_INPUTS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea')]
  .filter(e => ![...e.classList].some(c => c.startsWith('nhsuk-')))
  .map(e => e.name || e.id || e.outerHTML.slice(0, 60))"""


def _keep_document(response) -> None:
    request = response.request
    if request.resource_type != "document" or response.status != 200:
        return
    if "text/html" not in response.headers.get("content-type", ""):
        return
    try:
        html = response.text()
    except Exception:
        return
    _documents.setdefault((response.url.split("#")[0], hash(html)), (response.url, html))


def _watch(page) -> None:
    page.on("response", _keep_document)


def _axe_check(browser, documents) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    page = browser.new_page()
    # The kept documents need only their styles and scripts: nothing reaches the application
    # (no favicon, no session call), so a check never touches the database after the test.
    page.route(
        "**/*",
        lambda route: route.continue_() if "/static/" in route.request.url else route.abort(),
    )
    try:
        for url, html in documents:
            origin = "/".join(url.split("/")[:3])
            page.goto(origin + "/static/web/wraparound.css")  # the origin, so styles load
            page.set_content(html.replace('rel="icon"', 'rel="x-icon"'), wait_until="load")
            for v in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                where = "; ".join(str(n["target"][0]) for n in v["nodes"][:3] if n["target"])
                problems.append(f"{url}: {v['id']} ({v['impact']}): {v['help']}: {where}")
            # What axe cannot see: every input is styled by the NHS.UK frontend, so it looks
            # and behaves (focus, error states) like every other NHS service.
            for name in page.evaluate(UNSTYLED_INPUTS):
                problems.append(f"{url}: input {name!r} has no NHS.UK frontend class")
    finally:
        page.close()
    return problems


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.call_failed = report.failed


@pytest.fixture(autouse=True)
def _axe_on_every_page(request, chromium_browser, live_server):  # checked while it serves
    _documents.clear()
    yield
    documents = list(_documents.values())
    if getattr(request.node, "call_failed", False):
        return  # the test's own failure says what went wrong
    assert documents, "axe checked no page: the test loaded none"
    problems = _axe_check(chromium_browser, documents)
    print(f"axe: {len(documents)} pages checked, {len(problems)} violations")
    assert problems == [], "axe found violations:\n" + "\n".join(problems)
