"""No foreign text on Chinese screens (issue 10, part 5): every demo login crawls its menu in zh,
every list's first record, every add and edit form, and fails on a Latin word a user could read
that the allow-list below does not name.

Two passes over one served demo app (``live_app``/``live_server``, shared by every e2e test):

- the **pages** (Flask's test client over the same app, fast): every menu page of each demo
  login, and from each list its add form, first record and first record's edit form. It reads
  the HTML's text and the attributes a user reads (placeholders, titles, button values),
  *hidden parts included* (closed dropdowns and dialogs open later);
- the **browser** (Chromium): what JavaScript writes — select2's boxes (placeholder, "no
  results", "searching"), the delete dialog, the date picker — on the admin's and a clerk's
  screens.

A failure names, per word, the login, the page and the text around it. Fix it by translating
the string (docs/i18n.md), or, if the word is a code, unit or name a Chinese user reads as
such, add it to ``ALLOWED_WORDS`` / ``ALLOWED_PATTERNS`` with a comment saying why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest

from core.cli.demo import DEMO_USERS
from core.testing.support import PASSWORD

LOGINS = [username for username, *_rest in DEMO_USERS]

#: Latin words a Chinese user reads as they are (case-sensitive, whole words).
ALLOWED_WORDS = {
    "API", "REST", "JSON", "OpenAPI", "Swagger",  # the API pages speak of the API by its names
    "PDF", "XLSX", "CSV", "SVG", "PNG", "JPG", "JPEG",  # file formats
    "USCC",  # 统一社会信用代码 in column heads next to the Chinese
    "CSRF", "ID", "SHA", "UTC", "Token", "Bearer", "URL", "HTTP", "HTTPS",
    "Authorization",  # the HTTP header a program sends its API token in (API 令牌 page)
    "English",  # the language menu names each language in itself
    "GB", "GB/T",  # national standard numbers: GB/T 2260
    "Excel",  # 导出 Excel: how Chinese offices name the spreadsheet they open
    "RK",  # the prefix of 入库单 numbers (RK000001), as users write it in reasons and notes
    "test.gated", "gated.bin",  # a job kind and its file that tests/core/jobkinds.py registers
    "ThinkPad",  # the brand a demo procurement names, so its Art. 14 finding has one to quote
    "http", "https",  # a web address is data: where a 三公经费 table was published
}
#: Latin tokens that are codes or data, not words of the interface.
ALLOWED_PATTERNS = [
    re.compile(r"^[A-Za-z]{1,4}\d[\w\-/.]*$"),  # record and document codes: ZC2024-001, PD00001
    re.compile(r"^[A-Z]{1,4}-[\w\-/.]+$"),  # codes with a prefix: ZC-2024-0001
    re.compile(r"^[\w.+-]+@[\w.-]+$"),  # e-mail addresses (data)
    re.compile(r"^(m|m2|m²|km|kg|g|t|h|min|s|L|ml|kW|kWh|MB|KB|GB)$"),  # units
    re.compile(r"^(pdf|png|jpe?g|xlsx|csv|zip|docx?)$"),  # the extension of an uploaded file's name
    re.compile(r"^www\.[\w.-]+(/[\w\-./]*)?$"),  # a web address (data: a publication's place)
    re.compile(r"^[A-HJ-NPR-Z0-9]{17}$"),  # a vehicle identification number (VIN, GB 16735): data
]
#: Words other parts of issue 10 remove (page regex -> words). Each entry must still be found:
#: once its part is merged and the word gone, the test fails and asks to delete the entry.
PENDING = {
    # part 4 (readable history and audit): actions, users and entity keys, before/after JSON
    # ("*": any word on those pages; the audit log shows keys and JSON throughout)
    r"^/auditlogview/": {"*"},
}
#: Demo login names (the navbar's scope line, workflow histories): typed by the user, not ours.
ALLOWED_WORDS |= set(LOGINS)

#: A word starts with a letter after no letter or digit: "617cef" (a test's hex tag, a code) is one
#: token of digits and letters, never the word "cef".
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_.@+\-/²]*")
READ_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label", "data-text", "data-confirm")
#: Not read: scripts and styles, and <code>, which shows a machine name as such (an API path,
#: a field key); an element marked translate="no" (HTML's own "leave this as it is") is not read
#: either, text and attributes: that is how a template shows a code a Chinese user reads as is.
SKIPPED_TAGS = {"script", "style", "noscript", "svg", "code"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}
NOT_CRAWLED = re.compile(r"^/(static|lang|login|logout|api/|swagger|.*\.(xlsx|pdf|csv)(\?|$))")


def foreign_words(text: str) -> list[str]:
    """The Latin words of ``text`` that the allow-list does not cover."""
    found = []
    for token in TOKEN.findall(text):
        token = token.rstrip(".-/")
        if not token or token in ALLOWED_WORDS or any(p.match(token) for p in ALLOWED_PATTERNS):
            continue
        if not re.search(r"[A-Za-z]{2,}", token):  # a lone letter: a list marker, 第 A 段 …
            continue
        found.append(token)
    return found


class _Reader(HTMLParser):
    """The text of a page a user can read: text nodes and the attributes shown to users."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.skipping or tag in SKIPPED_TAGS or attributes.get("translate") == "no":
            if tag not in VOID_TAGS:
                self.skipping += 1
            return
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self.skipping and tag not in VOID_TAGS:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def readable_text(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return reader.parts


class Findings:
    """Foreign words per word: where (login, page) and in what text."""

    def __init__(self):
        self.seen: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.pending_met: set[tuple[str, str]] = set()

    def check(self, login: str, page: str, parts: list[str]) -> None:
        pending = {(pattern, word) for pattern, words in PENDING.items() if re.search(pattern, page)
                   for word in words}
        for part in parts:
            for word in foreign_words(part):
                known = {(p, w) for p, w in pending if w in (word, "*")}
                if known:
                    self.pending_met |= known
                    continue
                self.seen[word].append((login, page, part[:120]))

    def stale_pending(self) -> list[tuple[str, str]]:
        return sorted((p, w) for p, words in PENDING.items() for w in words
                      if (p, w) not in self.pending_met)

    def report(self) -> str:
        lines = []
        for word, places in sorted(self.seen.items(), key=lambda item: -len(item[1])):
            login, page, context = places[0]
            more = f" (and {len(places) - 1} more places)" if len(places) > 1 else ""
            lines.append(f"{word!r}: login {login}, page {page}: …{context}…{more}")
        return ("Latin words on Chinese screens — translate them (docs/i18n.md) or allow them in "
                "tests/e2e/test_no_foreign_text.py (ALLOWED_WORDS / ALLOWED_PATTERNS):\n  "
                + "\n  ".join(lines))


# --- pass 1: every page of every login, through the test client ------------------------------


def _client_login(app, username: str):
    client = app.test_client()
    html = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post("/login/", data={"username": username, "password": PASSWORD,
                                            "csrf_token": token})
    assert response.status_code == 302 and "/login" not in response.headers["Location"], \
        f"login as {username} failed"
    return client


def _links(html: str) -> list[str]:
    return [href for href in re.findall(r'href="(/[^"#]*)"', html.replace("&amp;", "&"))
            if not NOT_CRAWLED.match(href)]


def _menu(html: str) -> list[str]:
    """The navbar's links (the menu and the user menu), then the home page's own."""
    return list(dict.fromkeys(_links(html)))


class Crawl:
    """What one login's crawl visited, and the pages the browser must see too."""

    def __init__(self):
        self.visited: set[str] = {"/"}
        self.select2: list[str] = []  # forms with select2 boxes (their texts are written by JS)
        self.delete: list[str] = []  # lists with a delete button (FAB's dialog, written by JS)
        self.dates: list[str] = []  # forms with a date picker (its calendar, written by JS)


def crawl(app, username: str, findings: Findings) -> Crawl:
    """Visit the login's menu pages, each list's add form, first record and its edit form."""
    client = _client_login(app, username)
    home = client.get("/").get_data(as_text=True)
    findings.check(username, "/", readable_text(home))
    result = Crawl()
    queue, visited = _menu(home), result.visited
    while queue:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            continue
        html = response.get_data(as_text=True)
        assert response.status_code < 500, f"{username}: {url} answered {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        findings.check(username, url, readable_text(html))
        if re.search(r"/(add|edit)\b", url) and re.search(r"\b(my_select2|jiguan-typeahead)\b", html):
            result.select2.append(url)
        if re.search(r"/(add|edit)\b", url) and "appbuilder_date" in html:
            result.dates.append(url)
        if "/list" in url and "btn-delete-" in html:
            result.delete.append(url)
        if "/list" in url:  # a list: its add form, its first record and that record's edit form
            base = url.split("/list")[0]
            for pattern in (rf"{re.escape(base)}/add\b[^\"]*", rf"{re.escape(base)}/show/\d+",
                            rf"{re.escape(base)}/edit/\d+"):
                first = next((h for h in _links(html) if re.match(pattern, h)), None)
                if first and first not in visited:
                    queue.append(first)
    return result


@pytest.fixture(scope="module")
def crawled(live_app):
    findings, pages = Findings(), {}
    for username in LOGINS:
        pages[username] = crawl(live_app, username, findings)
    return findings, pages


def test_every_page_of_every_demo_login_is_chinese(crawled):
    findings, pages = crawled
    assert all(len(c.visited) > 5 for c in pages.values()), {u: len(c.visited) for u, c in pages.items()}
    assert not findings.seen, findings.report()
    assert not findings.stale_pending(), (
        "these PENDING entries in tests/e2e/test_no_foreign_text.py met no word any more — "
        f"their part is done: delete them: {findings.stale_pending()}")


def test_the_allow_list_lets_codes_through_and_catches_words():
    assert foreign_words("资产编号 ZC-2024-0001，凭证 PD00001，导出 XLSX，面积 120 m²") == []
    assert foreign_words("Select a State") == ["Select", "State"]
    assert foreign_words("Are you sure you want to delete this item?")


# --- pass 2: what JavaScript writes, in Chromium ----------------------------------------------

#: The browser pass: the system admin sees every screen; a clerk's forms are scoped differently.
BROWSER_LOGINS = ["admin", "tianshan_clerk"]


def _view(url: str) -> str:
    """A form's view and kind (/assetview/add, /assetview/edit): one visit each is enough."""
    return re.sub(r"/(\d+)(\?.*)?$", "", url.split("?")[0])


def _select2_texts(page) -> list[str]:
    """Open the page's first select2 boxes like a user, type a search, read what select2 says."""
    from selenium.webdriver.common.keys import Keys

    texts = []
    for container in page.find_all(".select2-container:not(.select2-container--open) .select2-selection")[:2]:
        if not container.is_displayed():
            continue
        container.click()
        opened = page.find_all(".select2-container--open .select2-dropdown")
        if not opened:
            continue
        texts.append(opened[0].text)
        search = page.find_all(".select2-container--open .select2-search__field")
        if search:
            search[0].send_keys("无此记录")
            try:
                page.wait(lambda d: "…" not in (page.find_all(".select2-results")[0].text or "…"))
            except Exception:  # still searching: what it says then is read too
                pass
            texts.append(page.find_all(".select2-container--open .select2-results")[0].text)
            search[0].send_keys(Keys.ESCAPE)
        else:
            container.send_keys(Keys.ESCAPE)
    return texts


def test_what_javascript_writes_is_chinese(crawled, login_as):
    findings = Findings()
    _pass1, pages = crawled
    done: set[str] = set()
    opened = 0
    for username in BROWSER_LOGINS:
        page = login_as(username)
        forms = [u for u in pages[username].select2 if _view(u) not in done]
        for url in forms:
            done.add(_view(url))
            page.open(url)
            page.wait_for("body")
            findings.check(username, url, [page.text("body")])
            texts = _select2_texts(page)
            opened += bool(texts)
            findings.check(username, url + " (select2)", texts)
        lists = pages[username].delete[:1]
        for url in lists:
            page.open(url)
            page.find("a.confirm[id^=btn-delete-]").click()
            dialog = page.wait_visible("#modal-confirm")
            text = dialog.text
            assert "确定要删除" in text, text
            findings.check(username, url + " (delete dialog)", [text])
            page.find("#modal-confirm [data-dismiss=modal]").click()
        for url in pages[username].dates[:1]:
            page.open(url)
            page.find(".appbuilder_date input").click()
            calendar = page.wait_visible(".datepicker-dropdown")
            text = calendar.text
            assert "一" in text and "日" in text, f"the date picker is not in Chinese: {text!r}"
            findings.check(username, url + " (date picker)", [text])
    assert opened, "no select2 box was opened: the browser pass read nothing JavaScript writes"
    assert not findings.seen, findings.report()
