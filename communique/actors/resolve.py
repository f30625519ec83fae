"""Within-article resolution, run after recognition: titles joined to names, short names and pronoun-free
references ("Sun", "the three countries") tied to full mentions, states given to actors named without one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from spacy.tokens import Doc

from ..records import Mention
from .article import ArticleActors


def resolve_short_names(result: ArticleActors) -> None:
    """Later short mentions ("Sun", "Kim") take the coding of the latest full mention they abbreviate."""
    full: list[Mention] = []
    for m in result.mentions:
        a = m.actor
        if a.kind != "person" or not a.name:
            continue
        parts = a.name.replace("-", " ").split()
        if a.country is None or len(parts) == 1:
            for prev in reversed(full):
                pparts = (prev.actor.name or "").replace("-", " ").split()
                if not (pparts and parts):
                    continue
                # "Sun" or "Putin" alone may abbreviate a full name; a longer unknown name must agree at both ends.
                same = (parts[0] in (pparts[0], pparts[-1])) if len(parts) == 1 else (parts[0] == pparts[0] and parts[-1] == pparts[-1])
                if same:
                    m.actor = replace(prev.actor, text=a.text, role=a.role or prev.actor.role)
                    break
        if len(parts) > 1 and m.actor.country:
            full.append(m)


def merge_title_and_name(doc: Doc, result: ArticleActors) -> None:
    """Join a title mention and the name right after it ("China's Foreign Minister" + "Wang Yi")."""
    merged: list[Mention] = []
    for m in result.mentions:
        prev = merged[-1] if merged else None
        if (
            len(merged) >= 2 and prev is not None and prev.actor.kind == "state" and prev.end == m.start
            and merged[-2].end == prev.start - 1 and doc[prev.start - 1].lower_ == "to"
            and m.actor.kind == "person" and m.actor.name
            and merged[-2].actor.kind == "person" and not merged[-2].actor.name
        ):
            # "Chinese Ambassador | to | South Korea | Xing Haiming" read as three mentions: the envoy is Chinese
            merged.pop()
            prev = merged[-1]
            m.actor = replace(m.actor, country=prev.actor.country or m.actor.country)
            m.start = prev.end
        if (
            prev is not None
            and m.actor.kind == "person" and m.actor.name
            and prev.actor.kind == "person" and not prev.actor.name
            and (prev.end == m.start or _title_continues(doc, prev, m))
        ):
            a = m.actor
            envoy = doc[prev.end].lower_ == "to"
            m.actor = replace(
                # "Chinese Ambassador to South Korea Xing Haiming": the state after "to" is where the envoy serves
                a, text=doc[prev.start:m.end].text, country=prev.actor.country if envoy else (a.country or prev.actor.country),
                role=a.role or prev.actor.role, sector=a.sector or prev.actor.sector,
            )
            m.start = prev.start
            merged[-1] = m
            continue
        merged.append(m)
    result.mentions = merged
    result.by_head = {m_end_head(doc, m): m for m in merged}


def _title_continues(doc: Doc, title: Mention, name: Mention) -> bool:
    """Only the rest of the title lies between a title and a name: "Minister of Trade[, Industry and Energy] Ahn
    Duk-geun", or the destination of an envoy: "Ambassador [to] South Korea Xing Haiming"."""
    gap = doc[title.end:name.start]
    if not 0 < len(gap) <= 6 or title.actor.role is None:
        return False
    if len(gap) == 1 and gap[0].lower_ == "to":
        return True
    return all(t.pos_ in ("PROPN", "CCONJ") or t.text == "," for t in gap) and gap[-1].text != ","


def adopt_adjacent_title(doc: Doc, result: ArticleActors) -> None:
    """A named person followed by ", [the] ... title" takes its role when the parse missed the apposition:
    "Lee Seung-buhm, the Ministry of National Defense's director general for international policy"."""
    mentions = sorted(result.mentions, key=lambda x: x.start)
    for m, n in zip(mentions, mentions[1:], strict=False):
        if (
            m.actor.kind == "person" and m.actor.name and not m.actor.role
            and n.actor.kind == "person" and not n.actor.name and n.actor.role
            and m.end < len(doc) and doc[m.end].text == "," and n.start in (m.end + 1, m.end + 2)
            and all(t.lower_ == "the" for t in doc[m.end + 1:n.start])
        ):
            m.actor = replace(m.actor, role=n.actor.role, sector=m.actor.sector or n.actor.sector,
                              country=m.actor.country or n.actor.country)


def m_end_head(doc: Doc, m: Mention) -> int:
    """The head token of a mention: the token in it whose head lies outside it (or the last token)."""
    for tok in doc[m.start:m.end]:
        if not (m.start <= tok.head.i < m.end) or tok.head.i == tok.i:
            return tok.i
    return m.end - 1


def adopt_appositive_country(doc: Doc, result: ArticleActors) -> None:
    """A person of unknown state takes the state of the phrase in apposition:
    "Xin Changxing, the secretary of the Chinese Communist Party's committee for Jiangsu" -> CHN."""
    for head_i, m in result.by_head.items():
        if m.actor.kind != "person" or (m.actor.country is not None and m.actor.role is not None):
            continue
        for child in doc[head_i].children:
            if child.dep_ != "appos":
                continue
            # The appositive's own head gives the role ("Lee, director general for ..."); any state in it the country.
            head_mention = result.by_head.get(child.i)
            if head_mention is not None and m.actor.role is None and head_mention.actor.role and head_mention.actor.kind == "person":
                m.actor = replace(m.actor, role=head_mention.actor.role, sector=m.actor.sector or head_mention.actor.sector)
            for tok in child.subtree:
                other = result.by_head.get(tok.i)
                if other is not None and other is not m and other.actor.country and m.actor.country is None:
                    m.actor = replace(
                        m.actor, country=other.actor.country,
                        role=m.actor.role or other.actor.role, sector=m.actor.sector or other.actor.sector or "GOV",
                    )
                    break


def add_bare_short_names(doc: Doc, result: ArticleActors) -> None:
    """Short names the tagger missed ("Sun met officials"): a proper noun heading its own noun phrase that is part
    of a full name mentioned earlier becomes a mention of that person."""
    covered = {i for m in result.mentions for i in range(m.start, m.end)}
    parts: dict[str, Mention] = {}
    added: list[Mention] = []
    for m in result.mentions:
        m_parts = (m.actor.name or "").replace("-", " ").split() if m.actor.kind == "person" else []
        if len(m_parts) > 1 and m.actor.country:
            parts.setdefault(m_parts[0], m)
            parts.setdefault(m_parts[-1], m)
    if not parts:
        return
    for tok in doc:
        if tok.i in covered or tok.pos_ != "PROPN" or tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "poss", "conj", "appos"):
            continue
        full = parts.get(tok.text)
        if full is not None and full.start < tok.i:
            added.append(Mention(tok.i, tok.i + 1, replace(full.actor, text=tok.text)))
    if added:
        result.mentions = sorted(result.mentions + added, key=lambda m: m.start)
        result.by_head.update({m.start: m for m in added})


_GROUP_NOUNS = frozenset(
    {"side", "country", "nation", "government", "leader", "ally", "neighbour", "neighbor", "capital", "minister",
     "president", "partner", "state", "power"}
)
_GROUP_NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
_GROUP_WINDOW_SENTENCES = 4


def _conj_groups(doc: Doc, result: ArticleActors) -> list[tuple[int, list[Mention]]]:
    """Lists of states named together ("Seoul, Washington and Tokyo"), as (first token, members)."""
    out = []
    for head_i, m in result.by_head.items():
        tok = doc[head_i]
        if tok.dep_ == "conj" or m.actor.country is None:
            continue
        members = [m]
        for t in tok.subtree:
            if t.dep_ == "conj" and t.i in result.by_head and result.by_head[t.i].actor.country:
                members.append(result.by_head[t.i])
        if len({x.actor.country for x in members}) >= 2:
            out.append((m.start, members))
    return sorted(out, key=lambda g: g[0])


def resolve_group_phrases(doc: Doc, result: ArticleActors) -> None:
    """ "the three countries" stands for the last three states named together, a few sentences back at most."""
    groups = _conj_groups(doc, result)
    if not groups:
        return
    sent_of = {}
    for n, sent in enumerate(doc.sents):
        for t in sent:
            sent_of[t.i] = n
    for tok in doc:
        if tok.lemma_.lower() not in _GROUP_NOUNS or tok.i in result.by_head:
            continue
        number = next((_GROUP_NUMBERS[c.lower_] for c in tok.children if c.lower_ in _GROUP_NUMBERS), None)
        if number is None:
            continue
        for start, members in reversed(groups):
            if start >= tok.i:
                continue
            if sent_of[tok.i] - sent_of[start] > _GROUP_WINDOW_SENTENCES:
                break
            if len({m.actor.country for m in members}) == number:
                result.groups[tok.i] = members
                break


def country_from_sentence(doc: Doc, result: ArticleActors) -> None:
    """Actors named without a state ("police", "rebels", "President Bouteflika") take the state of their sentence
    when exactly one state is named in it: "Police fired on protesters in Algiers" -> DZA. Never a guess between
    two states."""
    by_sent: dict[int, set[str]] = defaultdict(set)
    sent_of: dict[int, int] = {}
    for m in result.mentions:
        s = doc[m.start].sent.start
        sent_of[id(m)] = s
        if m.actor.kind == "state" and m.actor.country and len(m.actor.country) == 3 and m.actor.country not in ("IGO", "UNO", "EUR", "NGO", "MNC"):
            by_sent[s].add(m.actor.country)
    for m in result.mentions:
        if m.actor.country is None:
            states = by_sent.get(sent_of[id(m)], set())
            if len(states) == 1:
                m.actor = replace(m.actor, country=next(iter(states)))


_LOCATIVE = frozenset({"in", "of"})


def place_minorities(doc: Doc, result: ArticleActors) -> None:
    """A community named after one state but living in another belongs, as an actor, to the state it lives in:
    "ethnic Albanians in south Serbia" and "Albanians of southern Serbia" are Serbian actors, and "ethnic Turks" in a
    sentence about Sweden are Swedish. Applies only to "ethnic X" and to a people noun itself ("Albanians") followed
    by "in"/"of" a place, never to "Russian troops in Ukraine"."""
    states = [m for m in result.mentions if m.actor.kind == "state" and m.actor.country and len(m.actor.country) == 3]
    for m in result.mentions:
        if not m.actor.country:
            continue
        tokens = doc[m.start:m.end]
        ethnic = tokens[0].lower_ == "ethnic" or (m.start > 0 and doc[m.start - 1].lower_ == "ethnic")
        head = tokens.root
        people_head = head.tag_ in ("NNPS", "NNS") and head.ent_type_ == "NORP"
        place = None
        if ethnic or people_head:
            # a place right after the phrase: "... in south Serbia", "... of southern Serbia"
            for prep in head.rights:
                if prep.lower_ in _LOCATIVE:
                    place = next((s for s in states if any(doc[i].head.i == prep.i or doc[i].head.head.i == prep.i
                                                           for i in range(s.start, s.end))), None)
        if place is None and ethnic:
            sent = doc[m.start].sent
            others = [s for s in states if s.start >= sent.start and s.end <= sent.end and s.actor.country != m.actor.country]
            if len({s.actor.country for s in others}) == 1:
                place = others[0]
        if place is not None and place.actor.country != m.actor.country:
            m.actor = replace(m.actor, country=place.actor.country)


def unify_same_person(result: ArticleActors) -> None:
    """Every mention of one named person in an article carries what any of them says: the caption gives the role,
    the body the state. Fields already set are kept; gaps take the most common value among the other mentions."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in result.mentions:
        if m.actor.kind == "person" and m.actor.entity_id:
            by_entity[m.actor.entity_id].append(m)
    for mentions in by_entity.values():
        if len(mentions) < 2:
            continue
        best = {}
        for key in ("country", "sector", "role"):
            values = [getattr(m.actor, key) for m in mentions if getattr(m.actor, key)]
            if values:
                best[key] = max(dict.fromkeys(values), key=values.count)
        for m in mentions:
            gaps = {k: v for k, v in best.items() if getattr(m.actor, k) is None}
            if gaps:
                m.actor = replace(m.actor, **gaps)
