"""Untrusted text is escaped everywhere, parameters are inert, writes are guarded, bodies are bounded."""

import pytest
from fastapi.testclient import TestClient

from communique.records import Actor, Article, Event, Evidence
from communique.web import WebConfig, create_app
from tests.store.test_fusion import ITEMS
from tests.web.conftest import build_db

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\' onmouseover=\'alert(3)'


def _hostile_items():
    text = f"{HOSTILE} title\n\nSeoul met Beijing {HOSTILE} on Tuesday."
    start = text.index("Seoul")
    actor = Actor(f"Seoul {HOSTILE}", "KOR", f"Kim {HOSTILE}", "person", "GOV", f"minister {HOSTILE}", "person:kim-x")
    event = Event(article_id="evil", event_type="CONSULT", mode=None, quad="verbal_cooperation", intensity=2.5,
                  actors=[actor], recipients=[Actor("Beijing", "CHN", "China", "state", "GOV")], date="2024-06-18",
                  status="occurred", confidence=0.9, evidence=Evidence(text[start:], start, len(text)), trigger="met")
    article = Article("evil", text, f"{HOSTILE} title", "2024-06-19", outlet=f"Outlet {HOSTILE}",
                      url="javascript:alert(4)")
    return [(article, [event])]


@pytest.fixture()
def db(tmp_path):
    return build_db(tmp_path / "sec.duckdb", [*ITEMS, *_hostile_items()])


@pytest.fixture()
def client(db, open_client):
    return open_client(db)


def _assert_inert(html: str) -> None:
    assert "<script>" not in html and "<img src=x" not in html
    assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "' onmouseover='" not in html and "javascript:alert" not in html


def test_every_page_escapes_article_and_actor_text(client):
    fused = next(r["fused_id"] for r in client.get("/api/timeline", params={"limit": 500}).json()["items"]
                 if "Seoul met Beijing" in r["evidence_text"])
    for path in ("/", "/timeline", f"/events/{fused}", "/articles/evil", "/?q=script", "/dyads/KOR/CHN", "/network"):
        page = client.get(path)
        assert page.status_code == 200, path
        _assert_inert(page.text)
    assert "&lt;script&gt;" in client.get("/articles/evil").text


@pytest.mark.parametrize("param,value", [
    ("actor", "' OR 1=1 --"), ("actor", "x'); DROP TABLE events; --"), ("country", "'; --"), ("type", "CONSULT'--"),
    ("since", "2024' OR '1'='1"), ("status", "occurred' OR 1=1"), ("limit", "1; DROP TABLE events"),
])
def test_query_parameters_are_inert(client, param, value):
    response = client.get("/api/timeline", params={param: value})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["total"] == 0
    assert client.get("/api/overview").json()["counts"]["events"] == 5


def test_search_and_paths_are_inert(client):
    assert client.get("/api/search", params={"q": "%' OR 1=1 --"}).json()["items"] == []
    assert client.get("/api/articles/' OR '1'='1").status_code == 404
    assert client.get("/api/actors/' OR 1=1 --").status_code == 404


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                                  "/static/%2e%2e%2f%2e%2e%2fstore%2f__init__.py"])
def test_static_files_do_not_escape_their_folder(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "import" not in response.text


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert client.get("/api/timeline").headers["x-frame-options"] == "DENY"


def test_oversized_bodies_are_refused(db):
    with TestClient(create_app(WebConfig(db=db, max_body=1000))) as c:
        big = {"text": "x" * 5000}
        assert c.post("/api/articles", json=big).status_code == 413

        def chunks():
            for _ in range(10):
                yield b"y" * 500

        assert c.post("/api/articles", content=chunks(), headers={"content-type": "application/json"}).status_code == 413


def test_writes_need_the_token_off_loopback(db):
    paste = {"text": "Talks\n\nSEOUL, June 19, 2024 - South Korea met China on Tuesday.\n"}
    with TestClient(create_app(WebConfig(db=db, host="0.0.0.0"))) as c:
        refused = c.post("/api/articles", json=paste)
        assert refused.status_code == 403 and "--token" in refused.json()["detail"]
    with TestClient(create_app(WebConfig(db=db, host="0.0.0.0", token="s3cret"))) as c:
        assert c.post("/api/articles", json=paste).status_code == 401
        assert c.post("/api/articles", json=paste, headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.post("/api/articles", json=paste, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["new"] == 1
        assert c.get("/api/timeline").status_code == 200  # reads stay open


def test_the_form_needs_its_csrf_cookie_and_the_token(db):
    with TestClient(create_app(WebConfig(db=db, host="0.0.0.0", token="s3cret"))) as c:
        form = c.get("/submit")
        assert 'name="token"' in form.text
        csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
        fresh = TestClient(c.app)  # another site's form: no cookie
        assert fresh.post("/submit", data={"csrf": csrf, "text": "x"}).status_code == 403
        wrong = c.post("/submit", data={"csrf": csrf, "text": "Talks\n\nSeoul met Beijing.", "token": "nope"})
        assert "valid token" in wrong.text
