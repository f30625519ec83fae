"""The coded mentions of one article, shared by recognition, within-article resolution and argument finding."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from ..records import Mention


@dataclass
class ArticleActors:
    """The coded mentions of one article, indexed by the token that heads each one."""

    mentions: list[Mention] = field(default_factory=list)
    by_head: dict[int, Mention] = field(default_factory=dict)
    # "the three countries", "the two sides": head token -> the mentions of the states they stand for
    groups: dict[int, list[Mention]] = field(default_factory=dict)

    def at(self, token: Token) -> Mention | None:
        return self.by_head.get(token.i)

    def covering(self, token: Token) -> Mention | None:
        for m in self.mentions:
            if m.start <= token.i < m.end:
                return m
        return None
