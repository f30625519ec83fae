"""Actor-country accuracy on the sources and targets of the PLOVER GSR, and on the officials named in the dev gold.

usage: python benchmarks/actors.py [--json] [--show-errors]

For each GSR record, each source/target actor text is looked up in the sentence and the country of the mention
communique finds there is compared with the record's code. UN and EU bodies, which communique codes UNO and EUR,
count as IGO, the GSR's code for them. Baseline in the same run: spaCy's own GPE/NORP entities mapped to a
country by name through the same knowledge base (what a coder gets from NER alone).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communique.actors.gazetteer import load_gazetteer  # noqa: E402
from communique.actors.recognize import ActorRecognizer  # noqa: E402
from communique.nlp import load_spacy  # noqa: E402

GSR = ROOT.parent / "shared" / "plover" / "PLOVER_GSR_CAMEO.json"
IGO_LIKE = {"UNO": "IGO", "EUR": "IGO"}
# A few GSR records use CAMEO's country codes; compare them as the ISO codes they stand for.
CAMEO_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def _sides(rec: dict) -> list[tuple[str, str]]:
    out = []
    for key in ("source", "target"):
        side = rec.get(key)
        for a in side if isinstance(side, list) else []:
            if isinstance(a, dict) and a.get("actorText") and a.get("code"):
                out.append((a["actorText"], a["code"]))
    return out


def _locate(sentence: str, actor_text: str) -> tuple[int, int]:
    """Where the actor's words are in the sentence, as (start, end); (-1, -1) when they are not there.

    The GSR's actor texts elide words with "..." ("U.S. ... negotiators") or drop a modifier the sentence has
    ("Jordan's King Abdullah II" for "Jordan's visiting King Abdullah II"), so after an exact match fails the
    words may be up to three words apart, in order.
    """
    import re

    text = actor_text.strip()
    pieces = [p for p in re.split(r"\s*\.\.+\s*", text) if p]
    exact = r"\W+(?:\w+\W+){0,3}?".join(re.escape(p) for p in pieces)
    words = text.replace("...", " ").replace("..", " ").split()
    loose = r"\W+(?:\w+\W+){0,3}?".join(re.escape(w) for w in words)
    for pattern in (exact, loose):
        for flags in (0, re.I):
            m = re.search(rf"(?<!\w){pattern}(?!\w)", sentence, flags)
            if m:
                return m.start(), m.end()
    return -1, -1


def _country_index(gaz) -> dict[str, str]:  # type: ignore[no-untyped-def]
    idx = {}
    for c in gaz.countries.values():
        for n in (c.name, *c.aliases, *c.capitals, *c.demonyms):
            idx[n] = c.iso3
    return idx


DEV_OFFICIALS = ROOT / "benchmarks" / "data" / "dev_officials.tsv"


def dev_officials(nlp, gaz, recognizer) -> dict:  # type: ignore[no-untyped-def]
    """Country, sector and role of each official named in the dev articles, against benchmarks/data/dev_officials.tsv."""
    from communique.read import read_paths
    from communique.records import Article

    rows = [ln.split("\t") for ln in DEV_OFFICIALS.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")][1:]
    dev = ROOT.parent / "shared" / "corpus" / "dev"
    articles = {a.article_id: a for a in read_paths(sorted(str(p) for p in dev.glob("*.txt"))) if isinstance(a, Article)}
    found: dict[tuple[str, str], object] = {}
    for aid, art in articles.items():
        doc = nlp(art.text)
        for m in recognizer(doc, art.published).mentions:
            if m.actor.kind == "person" and m.actor.name:
                key = (aid, m.actor.name.replace("-", " ").lower())
                found.setdefault(key, m.actor)
    score = Counter()
    misses = []
    for aid, name, country, sector, role in rows:
        actor = found.get((aid, name.replace("-", " ").lower()))
        if actor is None:
            # the knowledge base may spell the canonical name differently ("Sergei" for "Sergey")
            actor = next((a for (x, n), a in found.items() if x == aid and n.split()[-1] == name.replace("-", " ").lower().split()[-1]), None)
        ok = {
            "country": actor is not None and actor.country == country,
            "sector": actor is not None and actor.sector == sector,
            "role": actor is not None and bool(actor.role) and (role in (actor.role or "") or (actor.role or "") in role),
        }
        score.update(k for k, v in ok.items() if v)
        if not all(ok.values()):
            misses.append({"name": name, "want": [country, sector, role],
                           "got": [getattr(actor, "country", None), getattr(actor, "sector", None), getattr(actor, "role", None)]})
    n = len(rows)
    return {"officials": n, **{k: round(100 * score[k] / n, 1) for k in ("country", "sector", "role")}, "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--dev", action="store_true", help="also check the officials named in ../shared/corpus/dev")
    args = ap.parse_args()
    if not GSR.exists():
        sys.exit(f"{GSR}: not found")
    records = [r for r in json.loads(GSR.read_text(encoding="utf-8")) if r.get("text") and _sides(r)]
    nlp, gaz = load_spacy(), load_gazetteer()
    recognizer = ActorRecognizer(nlp, gaz)
    names = _country_index(gaz)
    score: Counter[str] = Counter()
    errors = []
    for rec, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        actors = recognizer(doc, rec.get("date"))
        for text, code in _sides(rec):
            code = CAMEO_CODES.get(code, code)
            start, end = _locate(rec["text"], text)
            score["total"] += 1
            got = None
            if start >= 0:
                # the mention that starts nearest the actor's words, the longer one on a tie
                spans = []
                for m in actors.mentions:
                    ms, me = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
                    if ms < end and start < me and m.actor.country:
                        spans.append((abs(ms - start), -(me - ms), m.actor.country))
                if spans:
                    got = min(spans)[2]
                base = next((names.get(e.text.removeprefix("the ")) for e in doc.ents
                             if e.label_ in ("GPE", "NORP") and e.start_char < end and start < e.end_char), None)
                score["baseline"] += base == code
            got = IGO_LIKE.get(got or "", got)
            if got == code:
                score["correct"] += 1
            else:
                errors.append({"text": text, "want": code, "got": got, "id": rec["id"]})
    n = score["total"]
    result = {"actors": n, "accuracy": round(100 * score["correct"] / n, 1),
              "baseline_ner_accuracy": round(100 * score["baseline"] / n, 1)}
    if args.dev:
        result["dev_officials"] = dev_officials(nlp, gaz, recognizer)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"GSR source/target actors: {n}")
        print(f"actor-country accuracy: communique {result['accuracy']}%   NER-only baseline {result['baseline_ner_accuracy']}%")
        if args.dev:
            d = result["dev_officials"]
            print(f"dev officials: {d['officials']}; right country {d['country']}%, sector {d['sector']}%, role {d['role']}%")
            for miss in d["misses"]:
                print("   ", json.dumps(miss))
    if args.show_errors:
        for e in errors:
            print(json.dumps(e))


if __name__ == "__main__":
    main()
