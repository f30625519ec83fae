import json

from communique.errors import InputError
from communique.read import read_bytes, read_paths

ARTICLE = (
    "Seoul and Beijing hold talks\n\nPosted on : 2024-06-19 16:31 KST\n"
    "South Korea and China held a diplomatic and security dialogue in Seoul on Tuesday, the ministry said.\n"
    "Related stories\n"
)


def test_text_file_title_date_and_cleaning(tmp_path):
    p = tmp_path / "a1.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    [art] = list(read_paths([str(p)]))
    assert art.article_id == "a1"
    assert art.title == "Seoul and Beijing hold talks"
    assert art.published == "2024-06-19" and art.published_source == "dateline"
    assert art.text.startswith("South Korea and China held") and "Related" not in art.text


def test_jsonl_records_and_malformed_line(tmp_path):
    p = tmp_path / "feed.jsonl"
    good = {"id": "x1", "text": ARTICLE.split("\n", 3)[3], "published": "2024-06-20T10:00:00Z", "outlet": "Wire"}
    p.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"id": "x3"}) + "\n", encoding="utf-8")
    results = list(read_paths([str(p)]))
    assert results[0].article_id == "x1" and results[0].published == "2024-06-20" and results[0].outlet == "Wire"
    assert isinstance(results[1], InputError) and results[1].line == 2 and "feed.jsonl:2" in str(results[1])
    assert isinstance(results[2], InputError) and "text" in results[2].reason


def test_html_page(tmp_path):
    html = (
        "<html><head><title>Putin lands in Pyongyang</title>"
        '<meta property="article:published_time" content="2024-06-19T07:30:00+09:00">'
        '<meta property="og:site_name" content="Example Daily"></head><body><nav>Home World</nav><article>'
        "<h1>Putin lands in Pyongyang</h1><p>Russian President Vladimir Putin arrived in Pyongyang early on Wednesday "
        "for a two-day state visit, his first trip to North Korea in 24 years.</p><p>Kim Jong Un greeted him at the "
        "airport, state media said, and the two leaders are expected to sign a partnership treaty.</p></article>"
        "<footer>Copyright 2024</footer></body></html>"
    )
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    [art] = list(read_paths([str(p)]))
    assert art.title == "Putin lands in Pyongyang"
    assert art.published == "2024-06-19" and art.outlet == "Example Daily"
    assert art.text.startswith("Russian President") and "Copyright" not in art.text


def test_bad_inputs_each_give_one_clear_error(tmp_path):
    cases = {
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02garbage",
        "latin1.txt": "Caf\xe9 talks".encode("latin-1"),
        "german.txt": "Titel\nDer Bundeskanzler traf sich am Dienstag mit dem Präsidenten in Berlin zu Gesprächen über die Lage der Nation und die Wirtschaft.".encode(),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a " * 600)
    results = {r.path.rsplit("/", 1)[-1]: r for r in read_paths([str(tmp_path)], max_bytes=1000)}
    assert all(isinstance(r, InputError) for r in results.values()), results
    assert "empty" in results["empty.txt"].reason
    assert "binary" in results["binary.txt"].reason
    assert "UTF-8" in results["latin1.txt"].reason
    assert "English" in results["german.txt"].reason
    assert "limit" in results["big.txt"].reason


def test_stdin_as_jsonl():
    [art] = list(read_bytes(b'{"id": "s1", "text": "Japan and India held talks in Tokyo on Monday, officials said."}\n', "-"))
    assert art.article_id == "s1"


def test_metadata_sources_author_and_outlet_from_text(tmp_path):
    p = tmp_path / "a2.txt"
    p.write_text(ARTICLE + "By Park Min-hee, senior staff writer\nPlease direct questions or comments to [desk@example-news.com]\n",
                 encoding="utf-8")
    [art] = list(read_paths([str(p)]))
    assert art.title_source == "first line" and art.published_source == "dateline"
    assert art.author == "Park Min-hee" and "Park Min-hee" not in art.text
    assert art.outlet == "example-news.com" and art.outlet_source == "contact address"


def test_record_values_win(tmp_path):
    p = tmp_path / "r.jsonl"
    rec = {"id": "r1", "title": "Given", "published": "2024-01-02", "outlet": "Wire", "text": ARTICLE}
    p.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    [art] = list(read_paths([str(p)]))
    assert (art.title, art.title_source, art.published, art.published_source, art.outlet_source) == (
        "Given", "record", "2024-01-02", "record", "record")
