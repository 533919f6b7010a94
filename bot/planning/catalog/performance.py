"""Performance decisions: caching to meet a response-time bound, and the path large uploads take."""

from __future__ import annotations

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import (
    HIGH_CONCURRENCY,
    LATENCY_BOUND_MS,
    described,
    join_ids,
    largest_file,
    latency,
    latency_at_scale,
    scale,
    subject,
)
from bot.planning.catalog.figures import MB, count, figure
from bot.planning.catalog.gates import SERVICE
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.scoring import REDIS, favour_running
from bot.planning.catalog.signals import all_of, any_of, figure as figure_signal, matches, rx, when
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import FILES, REALTIME
from bot.planning.decisions import Category, Evidence, Impact
from bot.planning.spec import MetricKind

PROSE = load_prose(Category.PERFORMANCE)

# --- caching -----------------------------------------------------------------------------------

_CACHE_WORDS = rx(r"\bcach\w+", r"\bCDN\b")
_READ_HEAVY = rx(r"\bdashboards?\b", r"\bcatalog(?:ue)?s?\b", r"\blistings?\b", r"\bsearch results\b", r"\bread[- ]heavy\b", r"\breference data\b")


def _tight_under_load(situation: Situation) -> list[Evidence]:
    """A latency bound of at most 500 ms together with 1,000 or more users at once."""
    bound = situation.lowest(MetricKind.LATENCY)
    users = scale(situation)
    if bound is None or users is None:
        return []
    if bound.metric.value > LATENCY_BOUND_MS or users.metric.value < HIGH_CONCURRENCY:
        return []
    return [bound.evidence(), users.evidence()]


def _assess_caching(situation: Situation, a: Assessment) -> None:
    summary = latency_at_scale(situation)
    if summary:
        a.fact(f"{summary}.")
    bound = situation.lowest(MetricKind.LATENCY)
    users = scale(situation)
    a.support(bound, users)
    if bound is not None and bound.metric.value <= 150:
        a.favour("shared-cache", 1.5, f"A bound of {described(bound)} leaves little room for repeated database reads.")
        a.favour("in-process-cache", 1)
    if users is not None and users.metric.value >= 10_000:
        a.favour("shared-cache", 1, pro=f"Absorbs repeated reads from {count(users.metric.value)} people online ({users.source}).")
    read_heavy = situation.ids(_READ_HEAVY)
    if read_heavy:
        a.favour("shared-cache", 0.5, pro=f"Read-heavy views ({join_ids(read_heavy)}) are good cache candidates.")
    live = situation.ids(REALTIME)
    if live:
        a.penalise("shared-cache", 0.5, f"Data shown live ({join_ids(live)}) must be invalidated on every change or it shows stale.")
        a.penalise("in-process-cache", 1, f"Data shown live ({join_ids(live)}) goes stale on the instances that did not see the change.")
    favour_running(situation, a, REDIS, "shared-cache", 1)
    if a.cite(situation.cite(r"caches? may", r"\bcach\w+")):
        a.note("The constitution allows caches to hold copies but not to be authoritative, so every cached value must be rebuildable from the database.")
    if bound is not None:
        a.review = (
            f"Revisit when a load test at the target concurrency misses the {latency(bound)} bound of {bound.source} "
            "after query and index tuning."
        )


CACHING_STRATEGY = Topic(
    key="caching-strategy",
    category=Category.PERFORMANCE,
    prose=PROSE["caching-strategy"],
    trigger=any_of(_tight_under_load, when(SERVICE, matches(_CACHE_WORDS))),
    assess=_assess_caching,
    about=_CACHE_WORDS,
    prior={"no-app-cache": 2, "shared-cache": 1.5, "in-process-cache": 1},
    reasons={
        "no-app-cache": "Indexes, lean queries and HTTP caching usually meet a bound like this for request-response "
        "pages; a load test at the target concurrency shows whether any read path needs more, and nothing has to be "
        "invalidated meanwhile.",
    },
    names={
        "shared-cache": rx(r"\bRedis\b", r"\bMemcached\b", r"\bValkey\b"),
        "in-process-cache": rx(r"\bin-(?:process|memory) cach\w+", r"\blru_cache\b"),
    },
    depends_on=("horizontal-scaling",),
)

# --- upload path -------------------------------------------------------------------------------


def _assess_upload(situation: Situation, a: Assessment) -> None:
    size = largest_file(situation)
    if size is not None:
        a.fact(f"Uploads reach {described(size)}.")
    if size is not None and size.metric.value >= 100 * MB:
        a.favour("resumable-upload", 2, f"Uploads of {described(size)} need to survive dropped connections.")
    elif size is not None and size.metric.value >= 10 * MB:
        a.penalise(
            "streamed-through-api",
            1,
            f"Every upload of up to {figure(size.metric)} keeps an application worker busy for its whole transfer.",
        )
    mobile = situation.ids(rx(r"\bmobile\b", r"\bphones?\b", r"\bphotograph\w*", r"\bon the go\b", r"\bslow connections?\b"))
    if mobile:
        a.favour("resumable-upload", 1, pro=f"Handles the flaky mobile connections {subject(mobile, 'implies', 'imply')}.")
    if situation.leaning("file-storage") in ("database-blobs", "mounted-volume"):
        a.note("Direct uploads need an object store; with the storage leaning elsewhere, the upload streams through the API.")
    if size is not None and size.metric.value >= 50 * MB:
        a.at_least(Impact.MEDIUM)


UPLOAD_PATH = Topic(
    key="upload-path",
    category=Category.PERFORMANCE,
    prose=PROSE["upload-path"],
    trigger=when(SERVICE, all_of(matches(FILES), figure_signal(MetricKind.SIZE, lambda v: v >= 5 * MB))),
    assess=_assess_upload,
    impact=Impact.LOW,
    about=rx(r"\buploads?\b", r"\bfiles?\b"),
    prior={"presigned-direct": 2, "streamed-through-api": 1.5, "resumable-upload": 0.5},
    reasons={
        "presigned-direct": "Pre-signed direct uploads keep file bytes off the application servers, and the signed "
        "policy enforces the size limit at the storage itself.",
    },
    names={
        "presigned-direct": rx(r"\bpre-?signed (?:URLs?|uploads?)\b", r"\bdirect(?:ly)? (?:upload\w*)? ?to (?:the )?(?:bucket|object storage|S3)\b"),
        "resumable-upload": rx(r"\btus\b", r"\bresumable uploads?\b", r"\bchunked uploads?\b"),
    },
    depends_on=("file-storage",),
)

TOPICS: tuple[Topic, ...] = (CACHING_STRATEGY, UPLOAD_PATH)
