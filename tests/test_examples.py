"""The bundled sample corpus: everything reads, and the demo has a real timeline."""

from pathlib import Path

from communique.api import code_articles
from communique.read import read_paths
from communique.records import Article

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_examples_read_cleanly_and_yield_a_timeline():
    items = list(read_paths([str(EXAMPLES)]))
    assert all(isinstance(a, Article) for a in items), [str(a) for a in items if not isinstance(a, Article)]
    assert len(items) >= 12
    assert all(a.published for a in items), [a.article_id for a in items if not a.published]
    events = [e for c in code_articles(items) for e in c.events]
    assert len(events) >= 25
    assert sum(e.date is not None for e in events) >= 0.8 * len(events)
