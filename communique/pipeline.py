"""The pipeline: the only place that knows the order of the stages.

read -> parse (spaCy, batched) -> actors -> event candidates -> date, place, status -> Event records.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from .actors.gazetteer import Gazetteer, load_gazetteer
from .actors.recognize import ActorRecognizer, ArticleActors
from .events import ontology
from .events.classifier import NO_EVENT, WEIGHTS_PATH, Classification, EventClassifier
from .events.detect import Candidate, find_candidates
from .events.lexicon import Lexicon, load_lexicon
from .nlp import entities_in, load_spacy
from .records import DEFAULT_MIN_CONFIDENCE, Actor, Article, Event, Evidence, Location, Mention
from .when_where.dates import ResolvedDate, anchored_date, clause_tense, event_date, resolve_text
from .when_where.places import event_place
from .when_where.status import event_status

logger = logging.getLogger(__name__)

# Lexicon weights at or above this name their type unambiguously ("held talks"); below, the classifier may retype.
STRONG_TRIGGER = 0.8
RECONCILE_RETYPE = 0.6  # classifier probability needed to retype an ambiguous trigger
RECONCILE_VETO = 0.8  # classifier "no event" probability that drops an ambiguous trigger
# The classifier is told each trigger's source and target (marked in its clause), as `communique classify` is.
CLASSIFY_WITH_ACTORS = True
_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})


@dataclass
class CodedArticle:
    article: Article
    events: list[Event]
    actors: ArticleActors
    mention_spans: list[tuple[int, int, Mention]]  # character offsets of each actor mention


def _pub_date(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published) if article.published else None
    except ValueError:
        return None


_BACKGROUND_MARKS = frozenset({"after", "before", "since", "following", "until", "when", "while"})


def _background(tok: Token) -> bool:
    """ "a week after Putin received Kim", "since Seoul suspended the deal": an earlier event told as background,
    which the publication day does not date."""
    return tok.head.lower_ in _BACKGROUND_MARKS or any(
        c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS for c in tok.children
    )


class _SentenceDates:
    """The latest day-precision date written in the last few sentences, for sentences that give none.

    "On Tuesday, Seoul and Beijing held talks. During the meeting, Seoul voiced concern" dates the concern; a date
    three paragraphs up does not date "have previously conducted drills".
    """

    WINDOW = 3  # sentences

    def __init__(self, doc: Doc, pub: date | None) -> None:
        self.by_sent: dict[int, ResolvedDate] = {}
        last: ResolvedDate | None = None
        last_n = -1
        for n, sent in enumerate(doc.sents):
            for ent in entities_in(sent):
                if ent.label_ == "DATE" and clause_tense(ent.root) == "past":
                    value = resolve_text(ent.text, pub, "past")
                    if value and len(value) == 10:
                        last, last_n = ResolvedDate(value, ent.text, explicit=False), n
                        break
            if last is not None and n - last_n <= self.WINDOW:
                self.by_sent[sent.start] = last

    def before(self, sent: Span) -> ResolvedDate | None:
        return self.by_sent.get(sent.start)


class Pipeline:
    """Built once (models and knowledge base loaded), then run over any number of articles."""

    def __init__(
        self, min_confidence: float = DEFAULT_MIN_CONFIDENCE, actors_file: str | None = None, use_classifier: bool = True
    ) -> None:
        self.nlp = load_spacy()
        self.classifier: EventClassifier | None = None
        if use_classifier and WEIGHTS_PATH.exists():
            self.classifier = EventClassifier()
        self.gazetteer: Gazetteer = load_gazetteer(actors_file)
        self.lexicon: Lexicon = load_lexicon()
        self.recognizer = ActorRecognizer(self.nlp, self.gazetteer)
        self.min_confidence = min_confidence

    def run(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[CodedArticle]:
        """Code articles in batches; yields one CodedArticle per input, in order."""
        buffer: list[Article] = []
        for article in articles:
            buffer.append(article)
            if len(buffer) >= batch_size:
                yield from self._run_batch(buffer)
                buffer = []
        if buffer:
            yield from self._run_batch(buffer)

    def _run_batch(self, articles: list[Article]) -> Iterator[CodedArticle]:
        docs = self.nlp.pipe((a.text for a in articles), batch_size=len(articles))
        for article, doc in zip(articles, docs, strict=False):
            yield self.code_doc(article, doc)

    def code_doc(self, article: Article, doc: Doc) -> CodedArticle:
        actors = self.recognizer(doc, article.published)
        candidates = find_candidates(doc, actors, self.lexicon)
        if self.classifier is not None and candidates:
            candidates = self._reconcile(candidates)
        pub = _pub_date(article)
        context_dates = _SentenceDates(doc, pub)
        events = [self._event(article, c, pub, context_dates) for c in candidates]
        _resolve_anchors(events, candidates)
        kept = [e for e in events if e.confidence >= self.min_confidence]
        spans = [(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1]), m) for m in actors.mentions]
        return CodedArticle(article, merge_mentions(kept), actors, spans)

    def _reconcile(self, candidates: list[Candidate]) -> list[Candidate]:
        """Let the classifier confirm, retype or veto what the lexicon proposed, clause by clause.

        A strong trigger ("held talks", "condemned") keeps its type; an ambiguous one ("warned", "struck") takes
        the classifier's type when the classifier is sure; a clause the classifier reads as no event loses its
        ambiguous triggers. Confidence blends both. The classifier reads the trigger's own clause, so in "Washington
        imposed sanctions, and British jets struck targets" the strike is not read as a sanction.
        """
        assert self.classifier is not None
        # Only ambiguous triggers are classified: a strong trigger is neither retyped nor vetoed, and skipping
        # them keeps the classifier's cost to a fraction of the parse.
        weak = [c for c in candidates if c.strength < STRONG_TRIGGER]
        if not weak:
            return candidates
        clauses = {c.token.i: clause_tokens(c.token) for c in weak}
        keys = sorted(clauses)
        texts = ["".join(t.text_with_ws for t in clauses[k]).strip() for k in keys]
        by_token = {c.token.i: c for c in weak}
        actors = [_actor_text(by_token[k]) for k in keys] if CLASSIFY_WITH_ACTORS else None
        results = self.classifier.classify(texts, [clauses[k] for k in keys], actors)
        by_trigger: dict[int, Classification] = dict(zip(keys, results, strict=True))
        kept = []
        for c in candidates:
            cls = by_trigger.get(c.token.i)
            if cls is None:
                kept.append(c)
                continue
            p_type = cls.scores.get(c.event_type, 0.0)
            if cls.scores.get(NO_EVENT, 0.0) >= RECONCILE_VETO:
                continue
            top = cls.event_type
            # PLOVER's classifier convention folds future cooperation into AGREE; the event record keeps the type
            # and says "planned" in its status instead, so AGREE never replaces a cooperative type here.
            folds_future = top == "AGREE" and c.event_type in _COOPERATIVE
            if top and top != c.event_type and not folds_future and cls.scores[top] >= RECONCILE_RETYPE:
                c.event_type, c.mode, p_type = top, cls.mode, cls.scores[top]
            c.confidence = 0.5 * c.confidence + 0.5 * p_type
            kept.append(c)
        return kept

    def _event(self, article: Article, c: Candidate, pub: date | None, context: _SentenceDates) -> Event:
        tok = c.token
        status = event_status(tok)
        tense = "future" if status == "planned" else clause_tense(tok)
        resolved = event_date(tok, pub, tense)
        confidence = c.confidence
        if resolved is None and status == "occurred":
            resolved = context.before(tok.sent)
            simple_past = tok.tag_ == "VBD" or (tok.head.tag_ == "VBD" and tok.pos_ in ("NOUN", "PROPN"))
            if resolved is None and pub is not None and tense == "past" and simple_past and not _background(tok):
                resolved = ResolvedDate(pub.isoformat(), "", explicit=False)
            confidence *= 0.9
        if status == "occurred" and resolved is not None and pub is not None and resolved.explicit and _after(resolved.value, pub):
            status = "planned"  # "as Beijing welcomes a delegation on Sept. 23", written before Sept. 23
        if status in ("hypothetical", "speculated"):
            confidence *= 0.75  # we are less sure it happens as described
        location = event_place(tok, self.gazetteer)
        if location is None and c.event_type == "CONSULT" and c.mode == "visit" and c.recipients:
            host = c.recipients[0].actor.country
            name = self.gazetteer.country_name(host)
            if name:
                location = Location(name, host, None, None)
        sent = tok.sent
        while len(sent) > 1 and sent[-1].is_space:  # a sentence ends before the blank line that follows it
            sent = sent[:-1]
        mode = c.mode
        return Event(
            article_id=article.article_id,
            event_type=c.event_type,
            mode=mode,
            quad=ontology.QUAD[c.event_type],
            intensity=ontology.intensity(c.event_type, mode),
            actors=[_actor(m) for m in c.actors],
            recipients=[_actor(m) for m in c.recipients],
            date=resolved.value if resolved else None,
            date_text=(resolved.text or None) if resolved and resolved.explicit else None,
            status=status,
            confidence=round(min(confidence, 1.0), 3),
            evidence=Evidence(sent.text, sent.start_char, sent.end_char),
            cameo=ontology.cameo(c.event_type, mode),
            location=location,
            trigger=tok.text,
        )


def _actor_text(c: Candidate) -> tuple[str | None, str | None]:
    """The candidate's source and target mentions as text, for the classifier's actor markers."""
    doc = c.token.doc

    def side(mentions: list[Mention]) -> str | None:
        return "; ".join(doc[m.start : m.end].text for m in mentions) or None

    return side(c.actors), side(c.recipients)


def clause_tokens(tok: Token) -> list[Token]:
    """The trigger's clause, in order: its verb's subtree without the clauses coordinated with it."""
    root = tok
    while root.pos_ not in ("VERB", "AUX") and root.head.i != root.i:
        root = root.head
    out: list[Token] = []

    def walk(t: Token) -> None:
        out.append(t)
        for child in t.children:
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and t.i == root.i:
                continue
            walk(child)

    walk(root)
    # a coordinated verb shares its subject: "Washington imposed sanctions and [Washington] warned ..."
    if root.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        out.extend(c2 for c in root.head.children if c.dep_ in ("nsubj", "nsubjpass") for c2 in c.subtree)
    return sorted(out, key=lambda t: t.i)


def _resolve_anchors(events: list[Event], candidates: list[Candidate]) -> None:
    """ "a day before the summit": date an event from another event of the article with an explicit day date whose
    trigger names the anchor ("summit", "visit", ...)."""
    for event, cand in zip(events, candidates, strict=True):
        if event.date_text is not None:
            continue
        anchor = anchored_date(cand.token)
        if anchor is None:
            continue
        for other, oc in zip(events, candidates, strict=True):
            if other is event or other.date is None or len(other.date) != 10 or other.date_text is None:
                continue
            names = {oc.token.lemma_.lower(), oc.token.lower_}
            if oc.match.extra_token is not None:  # "hold a summit" is named by its object
                names |= {oc.match.extra_token.lemma_.lower(), oc.match.extra_token.lower_}
            if anchor.noun in names:
                event.date = (date.fromisoformat(other.date) + timedelta(days=anchor.days)).isoformat()
                event.date_text = anchor.text
                break


def _after(value: str, pub: date) -> bool:
    """True when a date (at its own precision) lies wholly after the publication date."""
    if len(value) == 10:
        return date.fromisoformat(value) > pub
    if len(value) == 7:
        return value > pub.isoformat()[:7]
    return value > pub.isoformat()[:4]


def _actor(m: Mention) -> Actor:
    return m.actor


def _side_key(e: Event) -> tuple[frozenset[str], frozenset[str]]:
    a = frozenset(x.country for x in e.actors if x.country)
    r = frozenset(x.country for x in e.recipients if x.country)
    if e.event_type in ontology.SYMMETRIC:
        return a | r, frozenset()
    return a, r


def _dates_compatible(a: Event, b: Event) -> bool:
    """Explicit dates must agree (a day either way, or the same month or year); an inherited date agrees with any."""
    if a.date_text is None or b.date_text is None:
        return True
    return _same_time(a.date, b.date)


def _same_time(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    if len(a) == 10 and len(b) == 10:
        return a == b  # two explicit days that differ are two events ("a day before the summit")
    return a.startswith(b) or b.startswith(a)


_ANOTHER = re.compile(r"\b(?:also|separately|later|subsequently|then|again)\s+(?:\w+\s+)?$", re.I)


def _told_as_another(e: Event, other: Event) -> bool:
    """ "The delegation also met Foreign Minister Cho": the writer marks a further meeting, with someone the other
    mention does not name. ("The two sides also exchanged views" is more of the same meeting, and "Cho also voiced
    concerns" is said at it.)"""
    if not e.trigger or e.event_type != "CONSULT":  # "also voiced concerns" is said at the same occasion
        return False
    at = e.evidence.text.lower().find(e.trigger.lower())
    if at <= 0 or _ANOTHER.search(e.evidence.text[:at]) is None:
        return False
    people = {a.entity_id for a in (*e.actors, *e.recipients) if a.kind == "person" and a.entity_id}
    known = {a.entity_id for a in (*other.actors, *other.recipients) if a.kind == "person" and a.entity_id}
    return bool(people - known)


def merge_mentions(events: list[Event]) -> list[Event]:
    """One event per real event in an article: repeated mentions of the same type, sides and date are merged.

    The kept record is the most confident one; an explicit date beats an inherited one.
    """
    kept: list[Event] = []
    for e in sorted(events, key=lambda x: (-(x.date_text is not None), -x.confidence, x.evidence.start)):
        for k in kept:
            if (
                k.event_type == e.event_type
                and _side_key(k) == _side_key(e)
                and k.status == e.status  # a plan and its meeting, a rumour and a fact, are two events
                and _dates_compatible(k, e)
                and not (_told_as_another(e, k) or _told_as_another(k, e))
            ):
                if k.location is None and e.location is not None:
                    k.location = e.location
                break
        else:
            kept.append(e)
    return sorted(kept, key=lambda x: x.evidence.start)
