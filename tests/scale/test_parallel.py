import os

from communique.records import Article
from communique.scale.parallel import WorkerPool


def _pid_per_article(batch: list[Article]) -> list[tuple[str, int]]:  # top level: "spawn" imports it by name
    return [(a.article_id, os.getpid()) for a in batch]


def test_workers_are_replaced_after_their_share_and_results_keep_input_order():
    articles = [Article(f"a{i}", f"Text {i}.", "t", "2024-06-19") for i in range(20)]
    pool = WorkerPool(1, recycle_articles=6, work=_pid_per_article, initializer=None)
    done = []
    try:
        for start in range(0, 20, 2):
            for batch in pool.submit(articles[start:start + 2]):
                done += batch
        for batch in pool.drain():
            done += batch
    finally:
        pool.close()
    assert [article_id for article_id, _ in done] == [a.article_id for a in articles]
    pids = list(dict.fromkeys(pid for _, pid in done))
    assert pool.recycled == 3 and len(pids) == 4  # 6 articles per worker: 20 articles -> 4 workers one after another
    assert [pid for _, pid in done[:6]] == [pids[0]] * 6 and [pid for _, pid in done[6:12]] == [pids[1]] * 6
