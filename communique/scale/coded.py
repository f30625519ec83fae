"""A coded article as plain data: what worker processes send back and what result Parquet files hold.

Everything the store needs to add an article (its record, its events with their triggers, its actor mentions with
character offsets, and the evidence vectors fusion compares), as JSON-ready values, so it crosses process and
machine boundaries and comes back as the same records a single-process run makes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..records import Actor, Article, Event, Mention


@dataclass
class CodedData:
    article: dict[str, Any]
    events: list[dict[str, Any]]  # schema records, plus "trigger"
    mentions: list[tuple[int, int, dict[str, Any]]]  # character start, end, actor
    vectors: list[list[float]]  # one per event

    @classmethod
    def of(cls, article: Article, events: list[Event], mentions: list[tuple[int, int, Mention]],
           vectors: Any) -> CodedData:
        return cls(
            article=asdict(article),
            events=[{**e.to_dict(), "trigger": e.trigger} for e in events],
            mentions=[(s, t, m.actor.to_dict()) for s, t, m in mentions],
            vectors=[[float(x) for x in v] for v in vectors],
        )

    def records(self) -> tuple[Article, list[Event], list[tuple[int, int, Mention]], list[list[float]]]:
        """The records again, ready for ``Store.add``."""
        article = Article(**self.article)
        events = [Event.from_dict(e) for e in self.events]
        mentions = [(s, t, Mention(0, 0, Actor.from_dict(a))) for s, t, a in self.mentions]
        return article, events, mentions, self.vectors


def code_batch(articles: list[Article], batch_size: int = 16) -> list[CodedData]:
    """Code articles in this process (models loaded once per process) and embed their evidence sentences."""
    from ..api import code_articles
    from ..nlp import encode

    coded = list(code_articles(articles, batch_size=batch_size))
    texts = [e.evidence.text for c in coded for e in c.events]
    vectors = iter(encode(texts)) if texts else iter(())
    return [CodedData.of(c.article, c.events, c.mention_spans, [next(vectors) for _ in c.events]) for c in coded]
