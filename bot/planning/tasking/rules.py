"""Matching rules the task builder, the project layout and the task values share.

Words and stems for comparing requirement text with stories, the kinds of work a requirement
asks for (an integration, a notification, a scheduled job…), the concern a technical decision
addresses (realtime transport, background jobs, authentication…), and which story delivers
each requirement. Every rule is a pattern over the text or the decision's topic and traits, so
unknown topics degrade to the decision's category instead of failing.
"""

from __future__ import annotations

from functools import lru_cache

import math
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from bot.planning.catalog import vocabulary as vocab
from bot.planning.context import PlanningContext
from bot.planning.contracts import Contracts
from bot.planning.decisions import Category, TechnicalDecision
from bot.planning.spec import Spec, UserStory

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

STOPWORDS: frozenset[str] = frozenset(
    """a an and any are as at be been being both but by can could do does each either every
    for from given has have how if in into is it its may might must no not of on one only or
    our per shall should so such than that the their them then there these they this those
    through to too up upon via was we were what when where which while who will with within
    without would able allow allows let lets need needs system systems also all more most new
    use used using user users see sees""".split()
)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A crude English stem, enough to match `submits`, `submitted` and `submitter`."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "i"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed", "er"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in "aeiou":
                w = w[:-1]
            break
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    """The significant words of a text, lower-cased, in order (stop words dropped)."""
    return [w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS]


@lru_cache(maxsize=4096)
def stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text))


def name_words(name: str) -> str:
    """`ExpenseReport` -> `expense report`; `order_item` -> `order item`."""
    spaced = _CAMEL.sub(" ", name.replace("_", " ").replace("-", " "))
    return " ".join(spaced.lower().split())


def snake(text: str, max_words: int = 4) -> str:
    """A snake_case identifier from the first significant words of a text."""
    picked = words(text)[:max_words] or _WORD.findall(text.lower())[:max_words]
    ident = "_".join(picked) or "item"
    return ident if not ident[0].isdigit() else f"n{ident}"


@lru_cache(maxsize=4096)
def _stemmed(text: str) -> str:
    """The text's words, stemmed, joined by single spaces and framed by spaces."""
    return " " + " ".join(stem(w) for w in _WORD.findall(text.lower())) + " "


@lru_cache(maxsize=4096)
def _name_phrase(name: str) -> str:
    return _stemmed(name_words(name))


def mentions(text: str, name: str) -> bool:
    """Whether a text names an entity, allowing a plural (`ExpenseReport` in "expense reports")."""
    phrase = _name_phrase(name)
    return phrase.strip() != "" and phrase in _stemmed(text)


class NamePhrases:
    """Which of many entity names each text mentions, as `mentions` decides, with the text's
    stemmed words read once rather than searched once per name."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names: dict[tuple[str, ...], list[str]] = {}
        for name in names:
            phrase = tuple(_name_phrase(name).split())
            if phrase:
                self._names.setdefault(phrase, []).append(name)
        self._lengths = sorted({len(p) for p in self._names})

    def mentioned(self, text: str) -> set[str]:
        stems_ = _stemmed(text).split()
        found: set[str] = set()
        for start in range(len(stems_)):
            for length in self._lengths:
                names = self._names.get(tuple(stems_[start:start + length]))
                if names:
                    found.update(names)
        return found


def shorten(text: str, limit: int = 90) -> str:
    """One line of at most `limit` characters, cut at a word boundary."""
    flat = " ".join(text.split()).rstrip(".")
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


class OverlapIndex:
    """Candidate texts `(key, text)` indexed once, to score many texts against them."""

    def __init__(self, candidates: Sequence[tuple[str, str]]) -> None:
        self.bags = [(key, stems(body)) for key, body in candidates]
        self.frequency: dict[str, int] = {}
        self.postings: dict[str, list[str]] = {}  # stem -> keys of the candidates that have it
        for key, bag in self.bags:
            for s in bag:
                self.frequency[s] = self.frequency.get(s, 0) + 1
                self.postings.setdefault(s, []).append(key)

    def scores(self, text: str) -> dict[str, tuple[int, float]]:
        """For each candidate that shares a word with `text`: how many words, and a score that
        weights words few candidates share (inverse document frequency). Others share nothing."""
        total = len(self.bags)
        shared: dict[str, int] = {}
        weight: dict[str, float] = {}
        for s in sorted(stems(text)):
            for key in self.postings.get(s, ()):
                shared[key] = shared.get(key, 0) + 1
                weight[key] = weight.get(key, 0.0) + math.log(1 + total / self.frequency[s])
        return {key: (shared[key], weight[key]) for key in shared}


def overlap_scores(text: str, candidates: Sequence[tuple[str, str]]) -> dict[str, tuple[int, float]]:
    return OverlapIndex(candidates).scores(text)


class Need(StrEnum):
    """A kind of work a requirement or story asks for beyond plain business logic."""

    AUTH = "auth"
    AUDIT = "audit"
    PRIVACY = "privacy"
    NOTIFICATION = "notification"
    REALTIME = "realtime"
    SCHEDULED = "scheduled"
    FILES = "files"
    INTEGRATION = "integration"


# The catalog's vocabulary is the one list of the words specs use for these needs.
_INTEGRATION = re.compile(
    "|".join(
        f"(?:{p.pattern})"
        for p in (
            vocab.EXTERNAL_WRITE,
            vocab.DIRECTORY,
            vocab.CURRENCY,
            vocab.DOCUMENT_EXTRACTION,
            vocab.COMPANY_IDP,
        )
    )
    + f"|(?:{vocab.EXTERNAL_TARGET})",
    re.IGNORECASE,
)
NEED_PATTERNS: dict[Need, re.Pattern[str]] = {
    Need.AUTH: vocab.AUTHENTICATION,
    Need.AUDIT: vocab.AUDIT,
    Need.PRIVACY: vocab.ERASURE,
    Need.NOTIFICATION: vocab.NOTIFY,
    Need.REALTIME: vocab.REALTIME,
    Need.SCHEDULED: vocab.SCHEDULED,
    Need.FILES: vocab.FILES,
    Need.INTEGRATION: _INTEGRATION,
}

# Requirements with these needs and no story that claims them belong in the Foundational phase.
CROSS_CUTTING: frozenset[Need] = frozenset({Need.AUTH, Need.AUDIT})
# Requirements with these needs span every story (a data subject's rights cover all their data):
# unless an operation of a story serves them, they get their own task in Polish.
STORYLESS: frozenset[Need] = frozenset({Need.PRIVACY})

UI_PATTERN = vocab.INTERACTIVE
WEB_PATTERN = re.compile(r"\bweb\b|\bpages?\b|\bdashboards?\b|\bbrowsers?\b|\bweb ?sites?\b|\bscreens?\b", re.I)
COMMAND_LINE_PATTERN = re.compile(r"command[- ]line|\bcli\b|\bterminal\b", re.I)
TEST_FIRST_PATTERN = re.compile(
    r"test[- ]first|\btdd\b|test[- ]driven|failing test|tests? (?:are |is )?written (?:before|first)", re.I
)
EXACTLY_ONCE_PATTERN = vocab.EXACTLY_ONCE
CHANNEL_PATTERN = vocab.SERVER_CHANNELS


def needs_of(text: str) -> set[Need]:
    found = {need for need, pattern in NEED_PATTERNS.items() if pattern.search(text)}
    if Need.INTEGRATION not in found and named_system(text) is not None:
        found.add(Need.INTEGRATION)
    return found


_SYSTEM_PHRASE = re.compile(
    r"\b(?:the|an?|our|its|their)\s+((?:[\w'’-]+\s+){0,2}?"
    r"(?:system|directory|service|provider|gateway|platform|sign-on|registry|ledger|erp|crm))\b",
    re.IGNORECASE,
)
_VAGUE = frozenset({"same", "this", "that", "new", "whole", "entire", "other", "main", "current", "each", "every"})
_SYSTEM_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (vocab.COMPANY_IDP, "identity provider"),
    (vocab.DOCUMENT_EXTRACTION, "document extraction service"),
    (vocab.CURRENCY, "exchange-rate source"),
    (vocab.DIRECTORY, "directory"),
)


def named_system(text: str) -> str | None:
    """The system a sentence names with a determiner and at least one qualifier ("the HR
    directory", "the publisher's catalogue system"); None for a bare "the system"."""
    for match in _SYSTEM_PHRASE.finditer(text):
        parts = [w for w in match.group(1).split() if not re.search(r"['’]s?$", w)]
        while parts and parts[0].lower() in _VAGUE:
            parts = parts[1:]
        if len(parts) >= 2:
            return " ".join(parts)
    return None


def system_name(text: str) -> str:
    """What an integration requirement talks to: the system it names ("HR directory",
    "payroll system"), else the kind of service its words imply, else "external system"."""
    named = named_system(text)
    if named is not None:
        return named
    for pattern, name in _SYSTEM_KINDS:
        if pattern.search(text):
            return name
    return "external system"


def channels(text: str) -> list[str]:
    """The delivery channels a notification requirement names ("e-mail", "Slack"…), as written."""
    return unique(m.group(0) for m in CHANNEL_PATTERN.finditer(text))


class Concern(StrEnum):
    """What a technical decision is about, as far as the tasks are concerned."""

    REALTIME = "realtime"
    JOBS = "jobs"
    STORAGE = "storage"
    AUTH = "auth"
    AUDIT = "audit"
    CACHE = "cache"
    SEARCH = "search"
    DEPLOYMENT = "deployment"
    SECURITY = "security"
    PRIVACY = "privacy"
    DATABASE = "database"
    OBSERVABILITY = "observability"
    API = "api"
    ARCHITECTURE = "architecture"
    SCALING = "scaling"
    PERFORMANCE = "performance"
    INTEGRATION = "integration"
    TECHNOLOGY = "technology"


CONCERN_PATTERNS: tuple[tuple[Concern, re.Pattern[str]], ...] = (
    (Concern.ARCHITECTURE, re.compile(r"service[- ]boundar|monolith|microservices?|\bmodular\b|architecture|single[- ]deployable|separate[- ]deployable", re.I)),
    (Concern.REALTIME, re.compile(r"websockets?|\bsse\b|server[- ]sent|real[- ]?time|long[- ]poll|\bpolling\b|\bsockets?\b|push[- ]channel|fan[- ]?out", re.I)),
    (Concern.JOBS, re.compile(r"background[- ](?:jobs?|processing|work)|message[- ]queue|\bqueues?\b|\bworkers?\b|\bschedul|\bcron\b|\bbatch|\bjobs?\b|event[- ]bus|pub[/-]?sub|\bkafka\b|rabbitmq|\bsqs\b|\bcelery\b|\brq\b|sidekiq|bullmq", re.I)),
    (Concern.STORAGE, re.compile(r"object[- ]storage|\bblobs?\b|\bs3\b|file[- ]storage|\bbuckets?\b|\bgcs\b|\bupload", re.I)),
    (Concern.AUTH, re.compile(r"\boidc\b|openid|\bsaml\b|\bsso\b|sign[- ]on|oauth|\bauth(n|z|entication|orization|ori[sz]ation[- ]model)?\b|identity[- ]provider|\bidp\b|\bjwt\b|\bldap\b|\bsessions?\b|\broles?\b", re.I)),
    (Concern.AUDIT, re.compile(r"\baudit", re.I)),
    (Concern.CACHE, re.compile(r"\bcach|\bcdn\b|memcache", re.I)),
    (Concern.SEARCH, re.compile(r"\bsearch|elasticsearch|opensearch|full[- ]text", re.I)),
    (Concern.DEPLOYMENT, re.compile(r"\bdeploy|\bcontainers?\b|kubernetes|\bk8s\b|serverless|\bhosting\b|\bpaas\b|\blambda\b|\bvms?\b|\bci\b|\bcd\b|multi[- ]region", re.I)),
    (Concern.SECURITY, re.compile(r"encrypt|\bkms\b|\bsecrets?\b|\bvault\b|\btls\b", re.I)),
    (Concern.PRIVACY, re.compile(r"erasure|retention|archiv|anonymi[sz]|pseudonymi[sz]|\bgdpr\b|personal[- ]data", re.I)),
    (Concern.DATABASE, re.compile(r"database|postgres|mysql|sqlite|mongo|\bsql\b|nosql|\borm\b|backup|\bschema\b|concurren", re.I)),
    (Concern.OBSERVABILITY, re.compile(r"monitor|observab|tracing|telemetry|\bmetrics\b|\blogging\b", re.I)),
    (Concern.API, re.compile(r"\brest\b|graphql|grpc|api[- ]style|\bprotocol\b|openapi", re.I)),
    (Concern.SCALING, re.compile(r"\bscal(e|ing)\b|replicas?|\bshard|horizontal|vertical|autoscal", re.I)),
    (Concern.INTEGRATION, re.compile(r"third[- ]party|\bvendor\b|\bsaas\b|\bexternal\b|integration", re.I)),
)

CATEGORY_CONCERN: dict[Category, Concern] = {
    Category.ARCHITECTURE: Concern.ARCHITECTURE,
    Category.TECHNOLOGY: Concern.TECHNOLOGY,
    Category.INTEGRATION: Concern.INTEGRATION,
    Category.PERFORMANCE: Concern.PERFORMANCE,
    Category.SECURITY: Concern.SECURITY,
    Category.SCALING: Concern.SCALING,
    Category.DEPLOYMENT: Concern.DEPLOYMENT,
    Category.DATA: Concern.DATABASE,
}

# Traits that say what an option needs from elsewhere or leaves out, not what it is.
_BORROWED_TRAIT = re.compile(r"^(?:needs|uses|no|without)-", re.I)


def _first_concern(text: str) -> Concern | None:
    for concern, pattern in CONCERN_PATTERNS:
        if pattern.search(text):
            return concern
    return None


def own_traits(td: TechnicalDecision) -> list[str]:
    """The option in force's traits that describe the option itself (not `needs-…`, `no-…`)."""
    return [t for t in td.effective.traits if not _BORROWED_TRAIT.match(t)]


def concern_of(td: TechnicalDecision) -> Concern:
    """The concern a decision addresses: its topic and own traits first, then (unless it is an
    integration decision) its titles, then its category."""
    option = td.effective
    keyed = " ".join([td.topic.replace("_", "-"), *own_traits(td)])
    found = _first_concern(keyed)
    if found is not None:
        return found
    if td.category is Category.INTEGRATION:
        return Concern.INTEGRATION
    found = _first_concern(f"{td.title} {option.title}")
    return found if found is not None else CATEGORY_CONCERN[td.category]


def evidence_ids(td: TechnicalDecision) -> set[str]:
    """The FR, SC and story ids a decision's evidence cites."""
    found: set[str] = set()
    for item in td.evidence:
        found.update(re.findall(r"\b(?:FR|SC|NFR)-\d+\b|\bUS\d+\b", item.source))
    return found


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


MIN_STORY_MATCH = 1.2  # the least word-overlap score that ties a requirement to a story


def story_text(story: UserStory) -> str:
    scenarios = " ".join(s.text for s in story.scenarios)
    return f"{story.title}. {story.description}. {story.independent_test}. {scenarios}"


def test_first_rule(context: PlanningContext) -> str | None:
    """The constitution rule that demands tests before implementation, by its label; None when
    the constitution has no such rule."""
    if context.constitution is None:
        return None
    for label, text in context.constitution.rules():
        if TEST_FIRST_PATTERN.search(f"{label} {text}"):
            return label
    return None


def requirement_stories(
    spec: Spec, contracts: Contracts, decisions: Sequence[TechnicalDecision] = ()
) -> dict[str, str | None]:
    """FR id -> the story that delivers it, or None when no story does.

    An operation that serves the requirement names its story; otherwise cross-cutting
    requirements (authentication, audit) belong to no story, and the rest go to the story
    whose text shares the most distinctive words (and entities) with the requirement.
    """
    stories = spec.stories
    ids = {s.id for s in stories}
    order = {s.id: (s.priority, i) for i, s in enumerate(stories)}
    place = {s.id: i for i, s in reversed(list(enumerate(stories)))}  # the first story with each id
    texts = {s.id: story_text(s) for s in stories}
    phrases = NamePhrases(e.name for e in spec.entities)
    story_entities = {sid: phrases.mentioned(text) for sid, text in texts.items()}
    cited_by = [evidence_ids(td) for td in decisions]
    story_index = OverlapIndex(list(texts.items()))
    serving: dict[str, list[str]] = {}  # FR id -> the stories of the operations that serve it, an entry per operation
    for op in contracts.operations:
        if op.story in ids:
            for fr in dict.fromkeys(op.requirements):
                serving.setdefault(fr, []).append(op.story)
    out: dict[str, str | None] = {}
    for req in spec.requirements:
        votes: dict[str, int] = {}
        for story_id in serving.get(req.id, []):
            votes[story_id] = votes.get(story_id, 0) + 1
        if votes:
            out[req.id] = min(votes, key=lambda s: (-votes[s], order[s]))
            continue
        if needs_of(req.text) & (CROSS_CUTTING | STORYLESS) or not stories:
            out[req.id] = None
            continue
        scores = story_index.scores(req.text)
        req_entities = phrases.mentioned(req.text)
        best: tuple[float, str] | None = None
        # too little in common (fewer than two words) and a story cannot deliver the requirement
        sharing = sorted((sid for sid, (shared, _) in scores.items() if shared >= 2), key=place.__getitem__)
        for story_id in sharing:
            entities = len(req_entities & story_entities[story_id])
            cited = sum(0.5 for ids in cited_by if {req.id, story_id} <= ids)
            total = scores[story_id][1] + entities + cited
            if total >= MIN_STORY_MATCH:
                if best is None or total > best[0] + 1e-9:
                    best = (total, story_id)
        out[req.id] = best[1] if best else None
    return out

