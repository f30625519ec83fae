"""Actor recognition: find who is named in a parsed article and code each mention to a state and sector.

Two steps. First, *atoms*: spans the knowledge base knows (country names, capitals and seats of government used as
metonyms, demonyms, organisations, office holders, role words) plus spaCy's PERSON entities. Second, atoms are
grouped by the noun phrase they sit in, so "South Korea's First Vice Foreign Minister Kim Hong-kyun" becomes one
mention (person, KOR, GOV, role "first vice foreign minister") anchored at its head token. Event argument
extraction then asks "which mention heads this subject/object?" through :class:`ArticleActors`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..geo import city_country
from ..nlp import entities
from ..records import Actor, ActorKind, Mention
from .article import ArticleActors
from .gazetteer import Gazetteer, Person
from .names import BREAKS, HYPHENATED_NAME, doc_between, isolated, name_variants, recent, slug
from .resolve import (
    add_bare_short_names,
    adopt_adjacent_title,
    adopt_appositive_country,
    country_from_sentence,
    merge_title_and_name,
    place_minorities,
    resolve_group_phrases,
    resolve_short_names,
    unify_same_person,
)

# Heads that an actor word can modify and still name an actor: "the Chinese side", "Russian troops".
ACTOR_NOUNS = frozenset(
    """side sides government governments delegation delegations authorities administration leadership regime embassy
    ministry counterpart counterparts official officials representative representatives force forces troops military
    army navy diplomat diplomats team state leader leaders nation country ally allies partner partners people
    cabinet office presidency parliament spokesperson spokesman spokeswoman committee commission council party
    agency bureau department envoy envoys negotiator negotiators""".split()
)
# Dependency labels that attach a modifier inside the same noun phrase.
_NP_INNER = frozenset({"compound", "amod", "poss", "nmod", "flat", "appos_none"})
_NOT_A_NAME = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "EVENT", "LAW", "CARDINAL", "ORDINAL", "MONEY",
                         "PERCENT", "QUANTITY", "LANGUAGE"})
# States whose names are written surname first in English news ("Wang Yi" is Mr Wang).
_SURNAME_FIRST = frozenset({"CHN", "KOR", "PRK", "TWN", "VNM", "KHM", "HKG", "MNG"})
_PERSON_STOP = frozenset({"Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs.", "Dr", "Dr."})


@dataclass
class Atom:
    span: Span
    label: str  # country | capital | demonym | region | people | org | person | role | ner_person
    key: str  # iso3, org code, role name, or person name



class ActorRecognizer:
    """Built once per process from the knowledge base; called on each parsed Doc."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.g = gazetteer
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.persons_by_name: dict[str, list[Person]] = defaultdict(list)
        make = nlp.make_doc

        def add(matcher: PhraseMatcher, label: str, phrases: Iterable[str]) -> None:
            docs = [make(p) for p in sorted(set(phrases)) if p]
            if docs:
                matcher.add(label, docs)

        for c in gazetteer.countries.values():
            names = {c.name, *c.aliases}
            names |= {n[4:] for n in names if n.startswith("the ")} | {"the " + n for n in names}
            add(self.names, f"country|{c.iso3}", names)
            add(self.names, f"capital|{c.iso3}", c.capitals)
            add(self.names, f"capital|{c.iso3}", c.metonyms)
            add(self.lower, f"capital|{c.iso3}", [m for m in c.metonyms if m.lower().startswith("the ")])
            add(self.names, f"demonym|{c.iso3}", c.demonyms)
        for o in gazetteer.organizations.values():
            add(self.names, f"org|{o.code}", {o.name, *o.aliases})
        for p in gazetteer.persons:
            for n in {p.name, *p.variants}:
                for v in name_variants(n):
                    self.persons_by_name[v].append(p)
        for name in self.persons_by_name:
            add(self.names, f"person|{name}", [name])
        # Bare surnames ("Putin", "Lavrov") are read only when one office holder of the day carries them.
        self.persons_by_surname: dict[str, list[Person]] = defaultdict(list)
        for p in gazetteer.persons:
            parts = p.name.replace("-", " ").split()
            if len(parts) < 2:
                continue
            keys = {parts[-1]}
            if p.iso3 in _SURNAME_FIRST:
                keys.add(parts[0])
            for key in keys:
                self.persons_by_surname[key].append(p)
        add(self.lower, "role", gazetteer.roles.keys())
        for name, (kind, iso3) in gazetteer.regions.items():
            add(self.names, f"{kind}|{iso3}", [name])
        self._state_names: dict[str, tuple[str, str]] = {}
        for c in gazetteer.countries.values():
            for n in (c.name, *c.aliases, *c.capitals):
                self._state_names.setdefault(n, ("country", c.iso3))
            for n in c.demonyms:
                self._state_names.setdefault(n, ("demonym", c.iso3))

    # -- atoms ---------------------------------------------------------------------------------------------
    def atoms(self, doc: Doc, published: str | None = None) -> list[Atom]:
        found: list[Atom] = []
        for matcher in (self.names, self.lower):
            for match_id, start, end in matcher(doc):
                label = doc.vocab.strings[match_id]
                kind, _, key = label.partition("|")
                if kind == "role":
                    key = doc[start:end].text.lower()
                found.append(Atom(doc[start:end], kind, key))
        ner_people = {i for e in entities(doc) if e.label_ == "PERSON" for i in range(e.start, e.end)}
        # a people or region word inside a person's name ("Aldo Moro", "Karen Bass") is part of the name
        found = [a for a in found if a.label not in ("people", "region") or not ner_people & set(range(a.span.start, a.span.end))]
        taken = {i for a in found if a.label == "person" for i in range(a.span.start, a.span.end)}
        for ent in entities(doc):
            if ent.label_ == "PERSON" and not any(i in taken for i in range(ent.start, ent.end)):
                span = ent
                while len(span) > 1 and span[0].text in _PERSON_STOP:
                    span = span[1:]
                found.append(Atom(span, "ner_person", span.text))
        ner_taken = {i for a in found for i in range(a.span.start, a.span.end)}
        for match in HYPHENATED_NAME.finditer(doc.text):
            # "Ahn Duk-geun" after a long title: Korean-style names the tagger sometimes splits up
            name = doc.char_span(match.start(), match.end())
            if name is not None and not ner_taken & set(range(name.start, name.end)) and name[0].pos_ == "PROPN":
                found.append(Atom(name, "ner_person", name.text))
                ner_taken.update(range(name.start, name.end))
        for ent in entities(doc):
            # Misspelt places and peoples ("Ethopia", "Quatar's emir"): close spellings of names we know.
            if ent.label_ in ("GPE", "NORP", "ORG", "LOC") and not any(i in ner_taken for i in range(ent.start, ent.end)):
                fuzzy = self._fuzzy_state(ent.text)
                if fuzzy is None and ent.label_ in ("GPE", "NORP", "LOC"):
                    # a city that is not a capital ("Samarra", "Tel Aviv") stands for its state
                    city = city_country(ent.text)
                    fuzzy = ("capital", city) if city else None
                if fuzzy is not None:
                    found.append(Atom(ent, fuzzy[0], fuzzy[1]))
                    ner_taken.update(range(ent.start, ent.end))
        for tok in doc:
            # a misspelt state the tagger did not read as a place at all ("Ethopia has agreed", "the Phillippines
            # military"): a capitalised word, not part of any entity, close to a state's name
            if tok.pos_ == "PROPN" and not tok.ent_type_ and tok.i not in ner_taken and len(tok.text) >= 6:
                fuzzy = self._fuzzy_state(tok.text)
                if fuzzy is not None:
                    found.append(Atom(doc[tok.i:tok.i + 1], fuzzy[0], fuzzy[1]))
                    ner_taken.add(tok.i)
        for tok in doc:
            # "Lavrov will meet...": the tagger misses some sentence-initial surnames of office holders.
            if (
                tok.pos_ == "PROPN" and tok.i not in ner_taken and isolated(tok)
                and tok.ent_type_ not in _NOT_A_NAME  # "in May", "World War II"
                and self._by_surname(tok.text, published) is not None
            ):
                found.append(Atom(doc[tok.i:tok.i + 1], "ner_person", tok.text))
        # Longest span wins where atoms overlap ("South Korean" over "Korean", a person over a country in it).
        found.sort(key=lambda a: (-(a.span.end - a.span.start), a.span.start))
        used: set[int] = set()
        kept: list[Atom] = []
        for a in found:
            idx = set(range(a.span.start, a.span.end))
            if idx & used:
                continue
            used |= idx
            kept.append(a)
        return sorted(kept, key=lambda a: a.span.start)

    def _fuzzy_state(self, text: str) -> tuple[str, str] | None:
        from rapidfuzz import fuzz, process

        text = text.removeprefix("the ").removesuffix("'s")
        if len(text) < 5:
            return None
        hit = process.extractOne(text, self._state_names.keys(), scorer=fuzz.ratio, score_cutoff=88)
        # the first letter must agree: "Roland" is a name, not a misspelt "Poland"
        if hit is None or hit[0][0] != text[0]:
            return None
        return self._state_names[hit[0]]

    # -- grouping atoms into noun-phrase mentions ----------------------------------------------------------
    def _is_actor_head(self, tok: Token) -> bool:
        return (
            tok.pos_ == "PROPN"
            or tok.lower_ in ACTOR_NOUNS
            or tok.lemma_.lower() in ACTOR_NOUNS
            or tok.lower_ in self.g.roles
            or tok.lemma_.lower() in self.g.roles
        )

    def np_head(self, tok: Token) -> Token:
        """The head of the noun phrase an atom sits in, climbing only into heads that can name an actor."""
        while True:
            head = tok.head
            if head.i == tok.i:
                return tok
            if (
                tok.dep_ in _NP_INNER and head.pos_ in ("NOUN", "PROPN") and self._is_actor_head(head)
                # a compound across a comma or a bracket is a parse slip: "Lee (right), ..., and Zhang"
                and not any(t.text in BREAKS for t in doc_between(tok, head))
            ):
                tok = head
                continue
            # "the spokesperson of China's Ministry of Foreign Affairs": climb over "of" into an actor noun.
            if (
                tok.dep_ == "pobj"
                and head.lower_ == "of"
                and head.head.pos_ in ("NOUN", "PROPN")
                and head.head.i < tok.i
                and self._is_actor_head(head.head)
            ):
                tok = head.head
                continue
            return tok

    def __call__(self, doc: Doc, published: str | None = None) -> ArticleActors:
        groups: dict[int, list[Atom]] = defaultdict(list)
        for atom in self.atoms(doc, published):
            groups[self.np_head(atom.span.root).i].append(atom)
        result = ArticleActors()
        for head_i, atoms in sorted(groups.items()):
            mention = self._code(doc, head_i, atoms, published)
            if mention is not None:
                result.mentions.append(mention)
                result.by_head[head_i] = mention
        add_bare_short_names(doc, result)
        merge_title_and_name(doc, result)
        adopt_appositive_country(doc, result)
        adopt_adjacent_title(doc, result)
        resolve_short_names(result)
        resolve_group_phrases(doc, result)
        country_from_sentence(doc, result)
        place_minorities(doc, result)
        unify_same_person(result)
        self._office_holders(result, published)
        return result

    def _office_holders(self, result: ArticleActors, published: str | None) -> None:
        """ "the South Korean foreign minister" in July 2024 is Cho Tae-yul: a title of one office, with its state,
        names the one person the knowledge base has in that office on the publication date."""
        if published is None:
            return
        for m in result.mentions:
            a = m.actor
            if a.kind != "person" or a.name or not a.role or not a.country:
                continue
            holders = {p.name: p for p in self.g.persons
                       if p.iso3 == a.country and p.role == a.role and p.holds_office_on(published)}
            if len(holders) == 1:
                p = next(iter(holders.values()))
                m.actor = replace(a, name=p.name, sector=p.sector, entity_id="person:" + slug(p.name))

    def _by_surname(self, surname: str, published: str | None, any_time: bool = False) -> Person | None:
        """The one office holder with this surname on that day; with ``any_time`` (for words the tagger already
        reads as a person's name), failing that, the one who ever held an office with it."""
        everyone = self.persons_by_surname.get(surname, [])
        holders = {p.name: p for p in everyone if p.holds_office_on(published)}
        if not holders and any_time:
            # a former office holder is still news for a few years, not for decades ("Powell" in 2024)
            holders = {p.name: p for p in everyone if recent(p, published)}
        return next(iter(holders.values())) if len(holders) == 1 else None

    def _by_surname_and_role(self, surname: str, role: str) -> Person | None:
        """The one person in the knowledge base who ever held this office with this surname."""
        holders = {p.name: p for p in self.persons_by_surname.get(surname, []) if p.role == role}
        return next(iter(holders.values())) if len(holders) == 1 else None

    def _pick_person(self, name: str, published: str | None, role: str | None = None) -> Person | None:
        """The office holder of that name in office on the publication date; the written role breaks ties."""
        options = self.persons_by_name.get(name, [])
        if not options:
            return None
        in_office = [p for p in options if p.holds_office_on(published)] or options
        return sorted(in_office, key=lambda p: (p.role != role, p.sector != "GOV"))[0]

    def _code(self, doc: Doc, head_i: int, atoms: list[Atom], published: str | None) -> Mention | None:
        start = min(a.span.start for a in atoms)
        end = max(max(a.span.end for a in atoms), head_i + 1)
        head = doc[head_i]
        # The country closest to the head wins: in "Chinese Ambassador to South Korea Xing" the amod is nearer.
        # A state that modifies the phrase ("Chinese Ambassador ...") outranks one inside a prepositional
        # phrase ("... to South Korea"); then the nearer one wins.
        states = sorted(
            (a for a in atoms if a.label in ("country", "capital", "demonym", "region", "people")),
            key=lambda a: (a.span.root.dep_ == "pobj", abs(a.span.root.i - head_i)),
        )
        country = states[0].key if states else None
        # The role that heads the phrase ("deputy director of the Office of ... Military Cooperation") wins over
        # role words inside it; otherwise the one nearest the head.
        roles = sorted(
            (a for a in atoms if a.label == "role"),
            key=lambda a: (not (a.span.start <= head_i < a.span.end), a.span.root.dep_ == "pobj", abs(a.span.root.i - head_i)),
        )
        role_entry = self.g.roles.get(roles[0].key) if roles else None
        role_text = " ".join(r.span.text for r in roles) if roles else None
        persons = [a for a in atoms if a.label in ("person", "ner_person")]
        orgs = [a for a in atoms if a.label == "org"]
        text = doc[start:end].text
        if persons:
            p_atom = persons[-1]
            wanted_role = role_entry.role if role_entry else None
            known = self._pick_person(p_atom.key, published, wanted_role) if p_atom.label == "person" else None
            if known is None and p_atom.label == "ner_person" and len(p_atom.span) == 1 and isolated(p_atom.span[0]):
                known = self._by_surname(p_atom.span.text, published, any_time=True)
            if known is None and p_atom.label == "ner_person" and len(p_atom.span) == 1 and wanted_role:
                # "President Obama" in a story whose date we do not trust: the one president ever named Obama
                known = self._by_surname_and_role(p_atom.span.text, wanted_role)
            if known is not None:
                actor = Actor(
                    text=text, country=known.iso3, name=known.name, kind="person", sector=known.sector,
                    role=(role_entry.role if role_entry else None) or known.role or None,
                    entity_id="person:" + slug(known.name),
                )
            else:
                if country is None and orgs:
                    country = self.g.organizations[orgs[-1].key].country
                actor = Actor(
                    text=text, country=country, name=p_atom.span.text, kind="person",
                    sector=role_entry.sector if role_entry else ("GOV" if roles else None),
                    role=role_entry.role if role_entry else (role_text.lower() if role_text else None),
                    entity_id="person:" + slug(p_atom.span.text),
                )
            return Mention(start, end, actor)
        if orgs and (not states or orgs[-1].span.root.i == head_i or head.dep_ != "compound"):
            org = self.g.organizations[orgs[-1].key]
            org_country = org.country if (org.sector in ("MED",) or not states) else country
            return Mention(start, end, Actor(
                text=text, country=org_country, name=org.name, kind="organization", sector=org.sector,
                role=role_entry.role if role_entry else None, entity_id="org:" + org.code.lower(),
            ))
        if country is None:
            if role_entry is None:
                return None
            kind0: ActorKind = "group" if role_entry.kind == "group" else "person"
            return Mention(start, end, Actor(
                text=text, country=None, name=None, kind=kind0, sector=role_entry.sector, role=role_entry.role,
            ))
        if role_entry is not None:
            kind: ActorKind = "group" if role_entry.kind == "group" else "person"
            if head.pos_ == "PROPN" and kind == "group":
                kind = "organization"  # "the Russian Ministry of Foreign Affairs"
            return Mention(start, end, Actor(
                text=text, country=country, name=None, kind=kind, sector=role_entry.sector, role=role_entry.role,
                entity_id=None,
            ))
        sector = "MIL" if head.lemma_.lower() in ("troops", "force", "military", "army", "navy") else "GOV"
        state_kind: ActorKind = "organization" if head.pos_ == "PROPN" and head.i not in range(states[0].span.start, states[0].span.end) else "state"
        return Mention(start, end, Actor(
            text=text, country=country, name=self.g.country_name(country) if state_kind == "state" else text,
            kind=state_kind, sector=sector, role=None, entity_id=country if state_kind == "state" else None,
        ))
