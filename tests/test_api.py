import json

import communique.api
from communique.store import Store


def test_ingest_reopens_the_database_as_it_goes_and_stores_every_article(tmp_path, monkeypatch):
    monkeypatch.setattr(communique.api, "REFRESH_ARTICLES", 2)
    reopened = []
    real_refresh = Store.refresh
    monkeypatch.setattr(Store, "refresh", lambda self: (reopened.append(1), real_refresh(self)))
    lines = [json.dumps({"id": f"n{i}", "text": f"Seoul and Beijing held talks on trade, round {i}."}) for i in range(5)]
    (tmp_path / "five.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(tmp_path / "t.duckdb") as store:
        summary = communique.api.ingest(store, [str(tmp_path / "five.jsonl")], batch_size=1)
        assert summary.new == 5 and len(reopened) == 2  # after articles 2 and 4
        assert store.counts()["articles"] == 5 and store.counts()["fused_events"] > 0
