"""The web app in a real browser: headless Chromium against a live server on loopback.

The in-process tests (test_app.py, test_security.py) read HTML as text; only a browser shows that the pages really
work once parsed: that a reader can click from the timeline to an event and see its evidence sentence highlighted,
that nothing the app serves trips its own Content-Security-Policy (a CSP violation shows up as a console error), and
that hostile article text stays inert once the browser has parsed it, with the CSP both bypassed (so escaping alone
is tested) and enforced (so the header is tested too).

Needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver). Without them the tests skip,
unless COMMUNIQUE_REQUIRE_BROWSER=1 (CI sets it), where a missing browser fails loudly instead of hiding the tests.
The database is built by hand (no NLP models), so the whole file runs in a few seconds.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from communique.records import Actor, Article, Event, Evidence, Location, Mention
from communique.store import Store
from communique.web import WebConfig, create_app
from tests.store.test_fusion import ITEMS

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REQUIRE_ENV = "COMMUNIQUE_REQUIRE_BROWSER"
# Without these, Chromium keeps trying to reach Google's hosts through this machine's closed network and can hang.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
)
# Console errors that are not about the page's own content. Chromium asks every site for /favicon.ico and logs the
# app's 404 as SEVERE; that is not a CSP violation or a broken page, so it alone is let through.
IGNORED_CONSOLE = ("/favicon.ico - Failed to load resource",)

PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '" onmouseover="window.__xss=3',
)
HOSTILE = " ".join(PAYLOADS)
HOSTILE_ARTICLE = "xss-1"


@dataclass
class Site:
    """The live server and what the database says the pages must show."""

    url: str
    first_fused: str  # the first row of the timeline
    evidence: dict[str, list[str]]  # fused id -> its reports' evidence sentences, in the order the page lists them
    hostile_fused: str  # the fused event made of the hostile article's event


def _hostile() -> tuple[Article, list[Event], list[tuple[int, int, Mention]]]:
    """An article whose title, text, outlet, url, actor names and evidence all carry script and attribute breakers."""
    sentence = f"Kim Hong-kyun of South Korea met Japan's envoy {HOSTILE} in Tokyo."
    text = f"{sentence} The talks lasted two hours.\n\nA second paragraph quotes {HOSTILE} again."
    person = Actor("Kim Hong-kyun", "KOR", f"Kim Hong-kyun {PAYLOADS[2]}", "person", "GOV", f"envoy {PAYLOADS[1]}",
                   "person:xss-kim")
    envoy = Actor("Japan's envoy", "JPN", f"Envoy {PAYLOADS[0]}", "person", "GOV", "envoy", "person:xss-envoy")
    event = Event(
        article_id=HOSTILE_ARTICLE, event_type="CONSULT", mode=None, quad="verbal_cooperation", intensity=2.5,
        actors=[person], recipients=[envoy], date="2024-08-15", status="occurred", confidence=0.8,
        evidence=Evidence(sentence, 0, len(sentence)), cameo="040", trigger="met",
        location=Location(f"Tokyo {PAYLOADS[2]}", "JPN"),
    )
    article = Article(HOSTILE_ARTICLE, text, f"Talks {HOSTILE}", "2024-08-15", outlet=f"Outlet {PAYLOADS[2]}",
                      url=f"https://example.org/a?{PAYLOADS[2]}")
    mentions = [(0, len("Kim Hong-kyun"), Mention(0, 2, person))]
    return article, [event], mentions


def _build(path: Path) -> tuple[str, dict[str, list[str]], str]:
    """The database, and (read before the server opens it) the first fused event and every event's evidence."""
    with Store(path) as store:
        for article, events in ITEMS:
            store.add(article, events)
        article, events, mentions = _hostile()
        store.add(article, events, mentions)
        store.fuse()
        rows = store.timeline()
        evidence = {}
        for row in rows:
            found = store.fused_event(row["fused_id"])
            assert found is not None
            evidence[row["fused_id"]] = [r["evidence"]["text"] for r in found["reports"]]
        [(hostile,)] = store.con.execute(
            "SELECT m.fused_id FROM fused_members m JOIN events e ON e.event_id = m.event_id WHERE e.article_id = ?",
            [HOSTILE_ARTICLE],
        ).fetchall()
    return rows[0]["fused_id"], evidence, hostile


@pytest.fixture(scope="module", autouse=True)
def _browser_available() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    reason = (f"browser tests need Debian's chromium and chromium-driver; missing: {', '.join(missing)} "
              "(apt-get install chromium chromium-driver)")
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app served by uvicorn on a free loopback port, in a thread of this process."""
    import uvicorn

    db = tmp_path_factory.mktemp("browser") / "web.duckdb"
    first, evidence, hostile = _build(db)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # the server takes the bound socket itself: no race for the port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(WebConfig(db=str(db))), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(url + "/api/overview", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            pytest.fail(f"the app did not answer on {url} within 20 s")
        time.sleep(0.05)
    try:
        yield Site(url, first, evidence, hostile)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module, on a fresh profile, with the browser console recorded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver or a browser
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(20)
    try:
        yield browser
    finally:
        browser.quit()


def console_errors(driver: Any) -> list[str]:
    """SEVERE console entries since the last call (reading the log empties it), but for IGNORED_CONSOLE."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and not any(i in e["message"] for i in IGNORED_CONSOLE)]


def test_timeline_leads_to_the_event_with_its_evidence_highlighted(site: Site, driver: Any, tmp_path: Path) -> None:
    """A reader's first click: the timeline's first date opens its event, every report's evidence sentence marked."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(site.url + "/timeline")
    assert console_errors(driver) == []
    link = driver.find_element(By.CSS_SELECTOR, "table.events tbody tr:first-child td.date a")
    link.click()
    WebDriverWait(driver, 10).until(ec.url_contains("/events/"))
    fused_id = driver.current_url.rstrip("/").rsplit("/", 1)[1]
    assert fused_id == site.first_fused
    marks = driver.find_elements(By.CSS_SELECTOR, "mark.evidence")
    assert marks, "the event page highlights no evidence sentence"
    # one highlight per report, each exactly the sentence stored as that report's evidence
    assert [m.text for m in marks] == site.evidence[fused_id]
    assert console_errors(driver) == []
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", marks[0])
    shot = tmp_path / "event.png"
    assert driver.save_screenshot(str(shot))
    print(f"screenshot of {driver.current_url}: {shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


# What each page must show as plain text: proof the hostile strings reached the page and were rendered, not parsed.
HOSTILE_PAGES: dict[str, tuple[Callable[[Site], str], tuple[str, ...]]] = {
    "article": (lambda s: f"/articles/{HOSTILE_ARTICLE}", PAYLOADS),
    "event": (lambda s: f"/events/{s.hostile_fused}", PAYLOADS),
    "timeline": (lambda s: "/timeline?since=2024-08&until=2024-08", PAYLOADS),
    "search": (lambda s: "/?q=" + quote(PAYLOADS[2]), PAYLOADS[2:]),
    "actor": (lambda s: "/actors/" + quote("person:xss-kim", safe=""), PAYLOADS[2:]),
}

# Every trace an injection would leave in the parsed page: event-handler attributes, inline or foreign scripts,
# the payload's image, links that are not http(s) or same-site.
FIND_INJECTIONS = """
const found = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.attributes) if (attr.name.startsWith('on')) found.push(el.tagName + '[' + attr.name + ']');
}
for (const s of document.scripts) {
  if (!s.src || new URL(s.src).origin !== location.origin) found.push('script ' + (s.src || s.text.slice(0, 60)));
}
for (const img of document.images) if (img.getAttribute('src') === 'x') found.push('img src=x');
for (const a of document.querySelectorAll('a[href]')) {
  if (!/^(https?:|\\/|#)/i.test(a.getAttribute('href'))) found.push('a href=' + a.getAttribute('href'));
}
for (const el of document.querySelectorAll('body *')) el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
return found;
"""
PAGE_TEXT = "return document.body.innerText + '\\n' + [...document.querySelectorAll('input')].map(i => i.value).join('\\n')"
INLINE_PROBE = ("const s = document.createElement('script'); s.text = 'window.__probe = 1'; "
                "document.head.appendChild(s); return window.__probe === 1")


@pytest.mark.parametrize("csp", ["bypassed", "enforced"])
@pytest.mark.parametrize("page", list(HOSTILE_PAGES))
def test_hostile_text_stays_inert(site: Site, driver: Any, page: str, csp: str) -> None:
    """With the CSP bypassed only escaping stands between the payloads and execution; with it enforced, the page must
    also cause no CSP violation (one would mean something got through escaping and was merely blocked)."""
    path, shown = HOSTILE_PAGES[page]
    url = site.url + path(site)
    assert httpx.get(url, timeout=10).status_code == 200, url
    driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": csp == "bypassed"})
    try:
        driver.get(url)
        text = driver.execute_script(PAGE_TEXT)
        for payload in shown:
            assert payload in text, f"{page}: {payload!r} is not shown as text"
        assert driver.execute_script(FIND_INJECTIONS) == [], page
        assert driver.execute_script("return window.__xss === undefined"), f"{page}: a payload ran"
        if csp == "enforced":
            assert console_errors(driver) == [], page
        # the probe shows the mode is real: inline script runs only when the CSP is bypassed
        assert driver.execute_script(INLINE_PROBE) is (csp == "bypassed")
        console_errors(driver)  # the probe's own CSP report is expected: drop it
    finally:
        driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})
