"""PLOVER types, modes, quad classes, intensities and the closest CAMEO codes.

Intensities are the PLOVER manual's conflict-cooperation scores (type default, then per mode). CAMEO codes are
the nearest CAMEO category for a type and mode, for users who join against CAMEO-coded data.
"""

from __future__ import annotations

from typing import Final

from ..records import Quad

EVENT_TYPES: Final = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

QUAD: Final[dict[str, Quad]] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), "verbal_cooperation"),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), "material_cooperation"),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), "verbal_conflict"),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), "material_conflict"),
}

# (type, mode or None) -> intensity; None is the type's own score.
INTENSITY: Final[dict[tuple[str, str | None], float]] = {
    ("AGREE", None): 2.5, ("CONSULT", None): 2.5, ("CONSULT", "visit"): 4.0, ("CONSULT", "third-party"): 1.0,
    ("CONSULT", "multilateral"): 4.0, ("CONSULT", "phone"): 1.5, ("SUPPORT", None): 5.0, ("CONCEDE", None): 4.5,
    ("COOPERATE", None): 9.5, ("AID", None): 10.0, ("RETREAT", None): 6.5, ("RETREAT", "withdraw"): 8.0,
    ("RETREAT", "release"): 6.5, ("RETREAT", "disarm"): 10.0, ("RETREAT", "ceasefire"): 7.5,
    ("RETREAT", "access"): 6.5, ("RETREAT", "resign"): 4.5,
    ("REQUEST", None): 0.0, ("REQUEST", "assist"): 0.5, ("REQUEST", "change"): -1.0, ("REQUEST", "yield"): -1.0,
    ("REQUEST", "meet"): 0.0,
    # The manual's table prints +3 for bare ACCUSE, a sign slip next to its modes (-2 to -3.5).
    ("ACCUSE", None): -3.0, ("ACCUSE", "disapprove"): -2.0, ("ACCUSE", "investigate"): -3.5, ("ACCUSE", "allege"): -3.5,
    ("REJECT", None): -2.0, ("REJECT", "assist"): -1.5, ("REJECT", "change"): -2.0, ("REJECT", "yield"): -2.0,
    ("REJECT", "meet"): -2.0,
    ("THREATEN", None): -3.5, ("THREATEN", "restrict"): -3.0, ("THREATEN", "arrest"): -3.5,
    ("THREATEN", "relations"): -3.5, ("THREATEN", "expel"): -3.5, ("THREATEN", "territory"): -4.0,
    ("THREATEN", "violence"): -3.5,
    ("PROTEST", None): -5.0, ("PROTEST", "demo"): -5.0, ("PROTEST", "riot"): -7.0, ("PROTEST", "strike"): -5.0,
    ("PROTEST", "hunger"): -4.5, ("PROTEST", "boycott"): -4.5, ("PROTEST", "obstruct"): -4.5,
    ("SANCTION", None): -6.0, ("SANCTION", "convict"): -6.0, ("SANCTION", "expel"): -5.5,
    ("SANCTION", "withdraw"): -6.0, ("SANCTION", "discontinue"): -6.0,
    ("MOBILIZE", None): -5.5, ("MOBILIZE", "troops"): -6.5, ("MOBILIZE", "weapons"): -6.5,
    ("MOBILIZE", "police"): -5.5, ("MOBILIZE", "militia"): -6.0,
    ("COERCE", None): -7.0, ("COERCE", "seize"): -7.0, ("COERCE", "restrict"): -7.0, ("COERCE", "censor"): -6.5,
    ("COERCE", "curfew"): -6.5, ("COERCE", "martial-law"): -7.5, ("COERCE", "arrest"): -7.0,
    ("COERCE", "deport"): -7.0, ("COERCE", "withhold"): -7.0, ("COERCE", "misinformation"): -6.5,
    ("COERCE", "cyber"): -7.0,
    ("ASSAULT", None): -9.0, ("ASSAULT", "abduct"): -8.5, ("ASSAULT", "beat"): -7.5, ("ASSAULT", "torture"): -8.5,
    ("ASSAULT", "sexual"): -8.5, ("ASSAULT", "targeted"): -9.5, ("ASSAULT", "destroy"): -8.5,
    ("ASSAULT", "primitive"): -8.0, ("ASSAULT", "firearms"): -9.0, ("ASSAULT", "explosives"): -9.0,
    ("ASSAULT", "suicide-attack"): -9.5, ("ASSAULT", "aerial"): -9.5, ("ASSAULT", "drone"): -9.5,
    ("ASSAULT", "heavy-weapons"): -9.5, ("ASSAULT", "crowd-control"): -7.5, ("ASSAULT", "unconventional"): -10.0,
}

# Closest CAMEO code per (type, mode); None mode is the type's root.
CAMEO: Final[dict[tuple[str, str | None], str]] = {
    ("AGREE", None): "030", ("CONSULT", None): "040", ("CONSULT", "visit"): "042", ("CONSULT", "phone"): "040",
    ("CONSULT", "third-party"): "044", ("CONSULT", "multilateral"): "044", ("SUPPORT", None): "050",
    ("CONCEDE", None): "080", ("COOPERATE", None): "060", ("AID", None): "070", ("RETREAT", None): "087",
    ("RETREAT", "withdraw"): "0874", ("RETREAT", "ceasefire"): "0871", ("RETREAT", "release"): "0841",
    ("REQUEST", None): "020", ("REQUEST", "assist"): "021", ("REQUEST", "change"): "023", ("REQUEST", "yield"): "028",
    ("REQUEST", "meet"): "026", ("ACCUSE", None): "112", ("ACCUSE", "disapprove"): "111",
    ("ACCUSE", "allege"): "112", ("ACCUSE", "investigate"): "090", ("REJECT", None): "120",
    ("THREATEN", None): "130", ("THREATEN", "violence"): "138", ("THREATEN", "relations"): "132",
    ("PROTEST", None): "140", ("SANCTION", None): "160", ("SANCTION", "expel"): "1663",
    ("SANCTION", "discontinue"): "161", ("MOBILIZE", None): "150", ("MOBILIZE", "troops"): "152",
    ("MOBILIZE", "weapons"): "154", ("COERCE", None): "170", ("COERCE", "seize"): "171",
    ("COERCE", "arrest"): "173", ("COERCE", "deport"): "174", ("COERCE", "cyber"): "176",
    ("ASSAULT", None): "190", ("ASSAULT", "aerial"): "195", ("ASSAULT", "heavy-weapons"): "194",
    ("ASSAULT", "firearms"): "190", ("ASSAULT", "explosives"): "183", ("ASSAULT", "targeted"): "186",
    ("ASSAULT", "abduct"): "181", ("ASSAULT", "drone"): "195", ("ASSAULT", "unconventional"): "200",
}

# Types whose participants act jointly: PLOVER lists all of them as actors, scoring treats them as symmetric.
SYMMETRIC: Final = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def intensity(event_type: str, mode: str | None) -> float:
    return INTENSITY.get((event_type, mode), INTENSITY[(event_type, None)])


def cameo(event_type: str, mode: str | None) -> str:
    return CAMEO.get((event_type, mode), CAMEO[(event_type, None)])
