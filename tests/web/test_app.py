"""The web app in-process: every page and its JSON twin on a small hand-built database."""

import json

import pytest
from fastapi.testclient import TestClient

from communique.store import Store
from communique.web import WebConfig, create_app
from tests.store.test_fusion import ITEMS
from tests.web.conftest import build_db


@pytest.fixture()
def client(tmp_path, open_client):
    return open_client(build_db(tmp_path / "web.duckdb", ITEMS))


def _first_fused(client):
    return client.get("/api/timeline").json()["items"][0]


def test_overview_and_its_twin(client):
    page = client.get("/")
    assert page.status_code == 200 and "Overview" in page.text and "CHN – KOR" in page.text
    data = client.get("/api/overview").json()
    assert data["counts"]["fused_events"] == 2 and data["dyads"][0]["x"] == "CHN"


def test_timeline_filters_and_paging(client):
    data = client.get("/api/timeline", params={"country": "KOR", "limit": 1}).json()
    assert data["total"] == 2 and len(data["items"]) == 1
    assert data["next"] and data["next"].endswith(data["items"][0]["fused_id"])
    second = client.get("/api/timeline", params={"country": "KOR", "limit": 1, "after": data["next"]}).json()
    assert [r["date"] for r in second["items"]] == ["2024-06-24"] and second["total"] == 2
    assert client.get("/api/timeline", params={"limit": 1, "offset": 1}).json()["items"] == second["items"]
    assert client.get("/api/timeline", params={"after": "x'; DROP TABLE events"}).status_code == 422
    page = client.get("/timeline", params={"limit": 1})
    assert 'rel="next"' in page.text and "1 of 2 events" in page.text
    next_href = page.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    later = client.get(next_href)
    assert 'rel="first"' in later.text and "2024-06-24" in later.text and 'rel="next"' not in later.text


def test_event_page_shows_every_report_with_its_evidence_and_disagreements(client):
    fused = _first_fused(client)
    data = client.get(f"/api/events/{fused['fused_id']}").json()
    assert len(data["reports"]) == 3
    page = client.get(f"/events/{fused['fused_id']}")
    assert page.text.count('<mark class="evidence">') == 3
    assert "Where the reports disagree" in page.text and "Outlet a1" in page.text


def test_article_page_marks_event_sentences_with_links(client):
    data = client.get("/api/articles/a1").json()
    assert data["events"] and data["events"][0]["fused_id"]
    page = client.get("/articles/a1")
    assert f'href="/events/{data["events"][0]["fused_id"]}"' in page.text


def test_actor_dyad_network_and_search(client):
    dyad = client.get("/api/dyads/KOR/CHN", params={"by": "week"}).json()
    assert any(p["events"] for p in dyad["periods"])
    assert client.get("/api/dyads/KOR/CHN/chart.png").content[:4] == b"\x89PNG"
    assert 'src="/api/dyads/KOR/CHN/chart.png' in client.get("/dyads/KOR/CHN").text
    assert {n["id"] for n in client.get("/api/network").json()["nodes"]} == {"KOR", "CHN"}
    assert client.get("/api/network.png").content[:4] == b"\x89PNG"
    assert client.get("/api/search", params={"q": "Sun Weidong Busan"}).json()["items"][0]["article_id"] == "a2"
    assert "Articles matching" in client.get("/", params={"q": "Busan"}).text


def test_every_page_links_its_json_twin(client):
    fused = _first_fused(client)["fused_id"]
    for path in ("/", "/timeline", f"/events/{fused}", "/articles/a1", "/dyads/KOR/CHN", "/network"):
        page = client.get(path)
        assert page.status_code == 200, path
        twin = page.text.split('class="twin" href="')[1].split('"')[0].replace("&amp;", "&")
        assert client.get(twin).headers["content-type"].startswith("application/json"), path


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/timeline", "/api/events/{fused_id}", "/api/articles", "/api/uploads"} <= set(paths)


def test_unknown_things_are_404_and_bad_parameters_422(client):
    assert client.get("/api/events/fe_0000000000000000").status_code == 404
    assert client.get("/events/fe_0000000000000000").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/timeline", params={"limit": 100000}).status_code == 422
    assert client.get("/api/timeline", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/dyads/KOR/KOR").status_code == 422
    assert client.get("/api/events/not-an-id").status_code == 422


def test_paste_codes_and_stores_an_article(client):
    text = ("Seoul and Tokyo talk\n\nSEOUL, June 19, 2024 - South Korean Foreign Minister Cho Tae-yul met Japanese "
            "Foreign Minister Yoko Kamikawa in Seoul on Tuesday.\n")
    result = client.post("/api/articles", json={"text": text}).json()
    assert result["new"] == 1 and result["events"] >= 1
    again = client.post("/api/articles", json={"text": text}).json()
    assert again["new"] == 0 and again["present"] == 1
    assert any("JPN" in r["actors"] + r["recipients"] for r in client.get("/api/timeline").json()["items"])
    assert json.loads(client.get("/api/overview").text)["counts"]["articles"] == 5
    # the pasted article's people now have pages, with their JSON twins
    assert client.get("/api/actors/Cho Tae-yul").json()["country"] == "KOR"
    page = client.get("/actors/Cho%20Tae-yul")
    assert page.status_code == 200 and "foreign minister" in page.text
    twin = page.text.split('class="twin" href="')[1].split('"')[0]
    assert client.get(twin).json()["name"] == "Cho Tae-yul"


def test_every_page_and_twin_on_coded_sample_articles(tmp_path):
    """The same walk on articles coded by the real pipeline (two samples from examples/)."""
    from pathlib import Path

    from communique import ingest

    examples = Path(__file__).resolve().parents[2] / "examples"
    path = str(tmp_path / "demo.duckdb")
    with Store(path) as store:
        ingest(store, [str(examples / "05_korea_china_2plus2.txt"), str(examples / "04_putin_pyongyang.txt")])
    with TestClient(create_app(WebConfig(db=path))) as c:
        rows = c.get("/api/timeline", params={"limit": 500}).json()["items"]
        assert rows
        person = next(a["name"] for r in rows for rep in c.get(f"/api/events/{r['fused_id']}").json()["reports"]
                      for a in rep["actors"] + rep["recipients"] if a["kind"] == "person" and a["name"])
        pages = ["/", "/timeline", f"/events/{rows[0]['fused_id']}", "/articles/05_korea_china_2plus2",
                 f"/actors/{person}", "/dyads/KOR/CHN", "/network", "/submit", "/?q=Pyongyang"]
        for page in pages:
            response = c.get(page)
            assert response.status_code == 200, page
            if 'class="twin" href="' in response.text:
                twin = response.text.split('class="twin" href="')[1].split('"')[0].replace("&amp;", "&")
                assert c.get(twin).status_code == 200, twin
