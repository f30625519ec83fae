import duckdb
import pytest

from communique.errors import StoreError
from communique.records import Actor, Article, Event, Evidence
from communique.store import EventFilter, Store


def _event(article_id: str, date: str, etype: str = "CONSULT", start: int = 0) -> Event:
    return Event(
        article_id=article_id, event_type=etype, mode=None, quad="verbal_cooperation", intensity=2.5,
        actors=[Actor("Seoul", "KOR", "South Korea", "state", "GOV")],
        recipients=[Actor("Beijing", "CHN", "China", "state", "GOV")],
        date=date, status="occurred", confidence=0.9, evidence=Evidence("Seoul met Beijing.", start, start + 18),
        cameo="040", trigger="met",
    )


def _article(aid: str, text: str = "Seoul met Beijing.") -> Article:
    return Article(aid, text, "t", "2024-06-19")


def test_add_is_idempotent_by_content(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add(_article("a"), [_event("a", "2024-06-18")])
        assert not store.add(_article("b"), [_event("b", "2024-06-18")])  # same text, other id
        assert store.counts() == {"articles": 1, "events": 1, "mentions": 0, "fused_events": 0}


def test_same_id_different_text_is_kept_apart(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add(_article("a"), [])
        other = _article("a", "Tokyo met Delhi.")
        assert store.add(other, [])
        assert other.article_id.startswith("a~")


def test_filters_and_order(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add(_article("a"), [_event("a", "2024-06-18"), _event("a", "2023-09-13", "ACCUSE", 20)])
        assert [e["date"] for e in store.events()] == ["2023-09-13", "2024-06-18"]
        assert len(store.events(EventFilter(event_type="accuse"))) == 1
        assert len(store.events(EventFilter(actor="kor"))) == 2
        assert len(store.events(EventFilter(actor="China"))) == 2
        assert len(store.events(EventFilter(actor="Japan"))) == 0
        assert [e["date"] for e in store.events(EventFilter(since="2024"))] == ["2024-06-18"]
        assert [e["date"] for e in store.events(EventFilter(until="2023-09"))] == ["2023-09-13"]


def test_failed_write_leaves_no_half_article(tmp_path, monkeypatch):
    with Store(tmp_path / "s.duckdb") as store:
        bad = _event("a", "2024-06-18")
        bad.actors[0].country = object()  # type: ignore[assignment]  # cannot be bound: the insert fails mid-way
        with pytest.raises((duckdb.Error, TypeError, ValueError)):
            store.add(_article("a"), [bad])
        assert store.counts() == {"articles": 0, "events": 0, "mentions": 0, "fused_events": 0}


def test_injection_in_filters_is_inert(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add(_article("a"), [_event("a", "2024-06-18")])
        assert store.events(EventFilter(actor="x' OR 1=1 --")) == []
        assert store.counts()["events"] == 1


def test_read_only_missing_db_has_helpful_message(tmp_path):
    with pytest.raises(StoreError, match="communique ingest"):
        Store(tmp_path / "nope.duckdb", read_only=True)


def test_schema_is_migrated_once(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    Store(path).close()
    con = duckdb.connect(str(path))
    from communique.store.schema import SCHEMA_VERSION

    assert con.execute("SELECT count(*), max(version) FROM schema_version").fetchone() == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_memory_limit_caps_the_buffer_cache(tmp_path, monkeypatch):
    def as_duckdb_shows(size: str) -> str:
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{size}'")
        return str(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])

    with Store(tmp_path / "s.duckdb", memory_limit="64MB") as store:
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == as_duckdb_shows("64MB")
    monkeypatch.setenv("COMMUNIQUE_DB_MEMORY", "2GiB")
    with Store(tmp_path / "s.duckdb") as store:  # the environment is the default
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == as_duckdb_shows("2GiB")


def test_query_threads_from_argument_or_environment(tmp_path, monkeypatch):
    with Store(tmp_path / "s.duckdb", threads=1) as store:
        assert store.con.execute("SELECT current_setting('threads')").fetchone()[0] == 1
    monkeypatch.setenv("COMMUNIQUE_DB_THREADS", "3")
    with Store(tmp_path / "s.duckdb") as store:
        assert store.con.execute("SELECT current_setting('threads')").fetchone()[0] == 3
    monkeypatch.setenv("COMMUNIQUE_DB_THREADS", "many")
    with pytest.raises(StoreError, match="COMMUNIQUE_DB_THREADS='many' is not a thread count"):
        Store(tmp_path / "s.duckdb")


def test_refresh_reopens_the_file_with_the_same_settings_and_keeps_everything(tmp_path):
    with Store(tmp_path / "s.duckdb", memory_limit="64MB", threads=1) as store:
        store.add(_article("a"), [_event("a", "2024-06-18")])
        settings = store.con.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()
        old = store.con
        store.refresh()
        assert store.con is not old
        assert store.con.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone() == settings
        assert store.add(_article("b", "Tokyo met Delhi."), [_event("b", "2024-06-19")])
        assert store.counts()["articles"] == 2


def _out_of_memory(*_args, **_kwargs):
    raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB")


def test_out_of_memory_while_storing_says_which_limit_to_raise(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_DB_MEMORY", "64MB")
    with Store(tmp_path / "s.duckdb") as store:
        monkeypatch.setattr(store, "_add_many", _out_of_memory)
        with pytest.raises(StoreError, match=r"none of the batch was stored\. To go on, raise COMMUNIQUE_DB_MEMORY "
                                             r"\(now 64MB"):
            store.add(_article("a"), [_event("a", "2024-06-18")])


def test_out_of_memory_while_fusing_keeps_the_events_and_says_so(tmp_path, monkeypatch):
    import communique.store as store_module

    with Store(tmp_path / "s.duckdb") as store:
        store.add(_article("a"), [_event("a", "2024-06-18")])
        monkeypatch.setattr(store_module, "fuse_pending", _out_of_memory)
        with pytest.raises(StoreError, match="wait to be fused .*communique fuse"):
            store.fuse()
        assert store.counts()["events"] == 1


def test_bad_memory_limit_says_what_to_give(tmp_path):
    with pytest.raises(StoreError, match="512MB"):
        Store(tmp_path / "s.duckdb", memory_limit="lots; DROP TABLE articles")
