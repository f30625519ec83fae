"""communique: news articles in, sourced interstate events (PLOVER) out.

The public API::

    import communique
    for event in communique.code("Seoul, June 19, 2024 - ... text ..."):
        print(event.to_dict())

    with communique.Store("communique.duckdb") as store:
        communique.ingest(store, ["articles/"])
        for fused in store.timeline(communique.TimelineFilter(country="KOR", since="2024-06")):
            print(fused["date"], fused["event_type"], fused["num_sources"])
"""

from __future__ import annotations

from .api import code, code_articles, ingest
from .errors import CommuniqueError, InputError, ModelError, StoreError
from .records import Actor, Article, Event, Evidence, Location
from .store import IngestSummary, Store, TimelineFilter

__version__ = "0.1.0"

__all__ = [
    "Actor", "Article", "CommuniqueError", "Event", "Evidence", "IngestSummary", "InputError", "Location",
    "ModelError", "Store", "StoreError", "TimelineFilter", "code", "code_articles", "ingest", "__version__",
]
