"""Real-browser fixtures: the demo app served over HTTP and headless Debian Chromium (Selenium).

The app runs on a fresh SQLite file in a werkzeug server thread on 127.0.0.1; each test
gets a new browser with an empty profile, so every login starts from a clean session.
Without ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (Debian ``chromium`` and
``chromium-driver``, see scripts/system-deps.sh) the tests are skipped, or fail when
``JIGUAN_REQUIRE_BROWSER`` is set, as ``make test`` sets it (issue 16, item 5: its
``test-deps`` installs Chromium or stops first). ``JIGUAN_SKIP_BROWSER_TESTS=1`` is the one
way to skip them there on purpose, each with that reason. Selenium never downloads a browser or driver here:
both paths are given and ``SE_OFFLINE`` is set.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, fresh_demo, make_app

CHROMIUM = os.environ.get("JIGUAN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("JIGUAN_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--lang=zh-CN",
    "--window-size=1280,900",
]
WAIT_SECONDS = 10


def skipped_on_request() -> bool:
    return os.environ.get("JIGUAN_SKIP_BROWSER_TESTS", "") not in ("", "0")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if skipped_on_request():
                item.add_marker(pytest.mark.skip(reason="JIGUAN_SKIP_BROWSER_TESTS is set: browser tests "
                                                 "skipped on request"))


def browser_unavailable() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(p) and os.access(p, os.X_OK))]
    if missing:
        return (f"browser tests need {' and '.join(missing)} "
                "(Debian packages chromium and chromium-driver: run scripts/system-deps.sh as root)")
    return None


@pytest.fixture(scope="session")
def browser_available():
    reason = browser_unavailable()
    if reason:
        if os.environ.get("JIGUAN_REQUIRE_BROWSER"):
            pytest.fail(reason + " (JIGUAN_REQUIRE_BROWSER is set, as make test sets it; "
                        "JIGUAN_SKIP_BROWSER_TESTS=1 skips the browser tests on purpose)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, browser_available):
    """The demo app (CSRF on, as in production) on a fresh SQLite file."""
    from core.extensions import db

    uri = f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'jiguan.db'}"
    app = make_app(uri, WTF_CSRF_ENABLED=True, TESTING=False)
    fresh_demo(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """Base URL of the app, served by werkzeug in a background thread on a free port."""
    from werkzeug.serving import make_server

    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)  # not a line per static file
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    werkzeug_log.setLevel(level)


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


class Page:
    """A Selenium driver with the few helpers the tests need to read a page as a user does."""

    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url

    # -- navigation and lookup ------------------------------------------------------------
    def open(self, path: str) -> Page:
        self.driver.get(self.base_url + path)
        return self

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url)

    def find(self, css: str, within=None):
        from selenium.webdriver.common.by import By

        return (within or self.driver).find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str, within=None) -> list:
        from selenium.webdriver.common.by import By

        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def wait(self, condition, message: str = ""):
        """Until ``condition`` holds; an element gone stale because the page moved on (a click
        that reloads it) is asked again, as a missing one is."""
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException)).until(condition, message)

    def wait_for(self, css: str):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        return self.wait(ec.presence_of_element_located((By.CSS_SELECTOR, css)), f"no {css} on {self.path}")

    def wait_visible(self, css: str):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        return self.wait(ec.visibility_of_element_located((By.CSS_SELECTOR, css)),
                         f"{css} not visible on {self.path}")

    def phone(self, width: int = 390, height: int = 844) -> Page:
        """Show pages as a phone does from now on: a ``width``×``height`` CSS-pixel viewport with
        the page's viewport meta honoured (Chromium's device emulation; a headless window alone
        keeps a desktop's layout viewport)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
        return self

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the screen (0: no horizontal scroll). A
        phone lays out a page too wide for it in a wider window, zoomed out: both are counted."""
        return self.driver.execute_script(
            "return Math.max(document.scrollingElement.scrollWidth, window.innerWidth) - screen.width")

    def beyond_the_window(self, css: str = ".btn, input, select, textarea") -> list[str]:
        """The shown controls matching ``css`` that stick out of the window sideways (clipped,
        or reached only by scrolling): their outer HTML's start."""
        return self.driver.execute_script("""
            return Array.from(document.querySelectorAll(arguments[0])).filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && (r.left < -1 || r.right > window.innerWidth + 1);
            }).map(e => e.outerHTML.slice(0, 120));""", css)

    # -- what a user reads ----------------------------------------------------------------
    def text(self, css: str = "body") -> str:
        """The text a user sees in ``css`` (closed menus and hidden parts excluded)."""
        return self.find(css).text

    def flashes(self) -> list[tuple[str, str]]:
        """The flashed messages: (bootstrap category, text without the close button)."""
        result = []
        for alert in self.find_all("div.alert"):
            kind = next((c.removeprefix("alert-") for c in (alert.get_attribute("class") or "").split()
                         if c.startswith("alert-")), "")
            result.append((kind, _squash(alert.text).removeprefix("×").strip()))
        return result

    def menu(self) -> dict[str, dict[str, str]]:
        """The navbar menu: category label -> {item label: link}, closed dropdowns included."""
        result: dict[str, dict[str, str]] = {}
        for top in self.find_all(".navbar-collapse ul.navbar-nav:not(.navbar-right) > li"):
            label = _squash(self.find("a", top).get_attribute("textContent"))
            result[label] = {
                _squash(a.get_attribute("textContent")): (a.get_attribute("href") or "")
                .removeprefix(self.base_url)
                for a in self.find_all("ul.dropdown-menu a", top)
            }
        return result

    def click_menu(self, category: str, item: str) -> Page:
        """Open a navbar dropdown and click one of its items, as a user would."""
        from selenium.webdriver.common.by import By

        toggle = next((a for a in self.find_all(".navbar-collapse ul.navbar-nav > li.dropdown > a")
                       if _squash(a.text) == category), None)
        assert toggle is not None, f"no menu {category!r} in {list(self.menu())}"
        toggle.click()
        link = self.wait(lambda d: next((a for a in toggle.find_element(By.XPATH, "..")
                                         .find_elements(By.CSS_SELECTOR, "ul.dropdown-menu a")
                                         if a.is_displayed() and _squash(a.text) == item), False),
                         f"menu item {item!r} not shown under {category!r}")
        link.click()
        return self

    def table_column(self, header: str, css: str = "div.table-responsive > table") -> list[str]:
        """The cells under ``header`` in the first matching table (a list view's records)."""
        table = self.find(css)
        headers = [_squash(th.get_attribute("textContent")) for th in self.find_all("thead th", table)]
        assert header in headers, f"no column {header!r} in {headers}"
        index = headers.index(header)
        return [_squash(row[index].text) for row in
                ([td for td in self.find_all("td", tr)] for tr in self.find_all("tbody tr", table))
                if len(row) > index]

    # -- acting ---------------------------------------------------------------------------
    def click_and_load(self, element) -> None:
        """Click a button or link that loads a new page, and wait until the old page is gone."""
        from selenium.webdriver.support import expected_conditions as ec

        old = self.find("html")
        element.click()
        self.wait(ec.staleness_of(old), f"clicking did not load a new page on {self.path}")

    def success(self, *words: str) -> str:
        """The one success message after an action, with no error beside it; it contains ``words``."""
        self.wait(lambda d: self.find_all("div.alert"), f"no message on {self.path}")
        flashes = self.flashes()
        assert not [text for kind, text in flashes if kind == "danger"], flashes
        texts = [text for kind, text in flashes if kind == "success"]
        assert texts, flashes
        for word in words:
            assert any(word in text for text in texts), (word, flashes)
        return texts[0]

    def decide(self, action: str, comment: str = "") -> str:
        """Press a workflow button (提交/批准/…) on the record's page, confirm it as asked (in
        Chinese, core/static/workflow.js); returns the success message."""
        buttons = self.find_all(f'#workflow-form button[data-action="{action}"]')
        offered = [b.get_attribute("data-action") for b in self.find_all("#workflow-form button")]
        assert buttons, f"no {action!r} button on {self.path}: {offered}"
        if comment:
            self.type_into("#workflow-form #comment", comment)
        buttons[0].click()
        ok = self.wait_visible("#workflow-confirm-ok")
        assert "确定" in self.text("#workflow-confirm-text")
        self.click_and_load(ok)
        return self.success()

    # -- forms ----------------------------------------------------------------------------
    def type_into(self, css: str, value: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(value)

    def select(self, field_id: str, visible_text: str) -> None:
        """Pick an option of a plain <select> (or a select2 one through its own widget)."""
        from selenium.webdriver.support.ui import Select

        element = self.find(f"select#{field_id}")
        if "select2-hidden-accessible" not in (element.get_attribute("class") or ""):
            Select(element).select_by_visible_text(visible_text)
            return
        # select2 hides the real <select>: open its box and click the option like a user
        container = self.find(f"select#{field_id} + .select2-container")
        self.find(".select2-selection", container).click()
        option = self.wait(
            lambda d: next((li for li in self.find_all(".select2-container--open .select2-results__option")
                            if li.is_displayed() and visible_text in li.text), False),
            f"no option {visible_text!r} in {field_id}",
        )
        option.click()
        chosen = Select(element).first_selected_option.text
        assert visible_text in chosen, f"{field_id}: chose {chosen!r}, wanted {visible_text!r}"

    def options(self, field_id: str) -> list[str]:
        return [_squash(o.get_attribute("textContent")) for o in self.find_all(f"select#{field_id} option")]

    def login(self, username: str, password: str = PASSWORD) -> Page:
        """Type the credentials into the real /login/ form and press its submit button."""
        self.open("/login/")
        self.wait_for("form[name=login]")
        self.type_into("input#username", username)
        self.type_into("input#password", password)
        self.find("form[name=login] [type=submit]").click()
        try:
            self.wait_for("#scope")  # only the home page of a logged-in user has it
        except Exception as exc:
            raise AssertionError(f"login as {username} failed: at {self.path}, {self.flashes()}") from exc
        return self

    def requested_urls(self) -> list[str]:
        """Every URL the browser asked for since the last call (needs ``new_browser(network_log=True)``)."""
        import json

        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def console(self) -> list[str]:
        """The browser console's messages since the last call (errors, warnings, CSP reports)."""
        return [entry["message"] for entry in self.driver.get_log("browser")]

    def screenshot(self, path: Path) -> Path:
        """A PNG of the whole page (the window grows to the document's height first)."""
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        width = self.driver.get_window_size()["width"]
        self.driver.set_window_size(width, max(900, min(int(height) + 150, 4000)))
        self.driver.save_screenshot(str(path))
        return path


@pytest.fixture
def new_browser(live_server, tmp_path_factory, monkeypatch):
    """Factory: a fresh headless Chromium (own empty profile) per call; all closed at teardown."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not fetch anything
    drivers = []

    def _new(network_log: bool = False) -> Page:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        profile = tmp_path_factory.mktemp("chromium-profile")
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        # the console (CSP violations are reported there), read with Page.console()
        prefs = {"browser": "ALL"}
        if network_log:  # every request the page makes, read with Page.requested_urls()
            prefs["performance"] = "ALL"
        options.set_capability("goog:loggingPrefs", prefs)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(30)
        drivers.append((driver, profile))
        return Page(driver, live_server)

    yield _new
    for driver, profile in drivers:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def login_as(new_browser):
    """Factory: a new browser session logged in as ``username`` through the form."""
    def _login(username: str, network_log: bool = False) -> Page:
        return new_browser(network_log=network_log).login(username)

    return _login


@pytest.fixture
def in_app(live_app):
    """Run a block in the served app's context as the system (for checks and clean-up only)."""
    from contextlib import contextmanager

    from core.extensions import db
    from core.scoping import SYSTEM, acting_as

    @contextmanager
    def _ctx():
        with live_app.app_context(), acting_as(SYSTEM):
            try:
                yield db.session
            finally:
                db.session.rollback()
                db.session.remove()

    return _ctx
