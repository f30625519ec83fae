"""Fusion across outlets: reports of one real event become one fused event, and their disagreements are kept."""

from .cluster import cluster, fuse, fused_id
from .discrepancies import Discrepancy, counts, durations, find_discrepancies
from .match import THRESHOLD, compatible, same_event_score
from .reports import FusedEvent, Report, is_state

__all__ = [
    "THRESHOLD", "Discrepancy", "FusedEvent", "Report", "cluster", "compatible", "counts", "durations",
    "find_discrepancies", "fuse", "fused_id", "is_state", "same_event_score",
]
