"""Scaling decisions: how the service scales to its load and availability targets, and how
real-time events fan out across instances and regions."""

from __future__ import annotations

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import availability, described, join_ids, latency_at_scale, regions, scale, subject
from bot.planning.catalog.figures import count, figure
from bot.planning.catalog.gates import SERVICE
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.scoring import REDIS, favour_running
from bot.planning.catalog.signals import any_of, figure as figure_signal, matches, rx, when
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import BURSTY, MULTI_REGION, PERSONAL_DATA, REALTIME
from bot.planning.decisions import Category, Evidence, Impact
from bot.planning.spec import MetricKind

PROSE = load_prose(Category.SCALING)
MINUTES_PER_30_DAYS = 30 * 24 * 60

# --- horizontal scaling ------------------------------------------------------------------------

_LOAD = any_of(
    figure_signal(MetricKind.CONCURRENCY, lambda v: v >= 500),
    figure_signal(MetricKind.AVAILABILITY, lambda v: v >= 99.5),
    figure_signal(MetricKind.THROUGHPUT, lambda v: v >= 100),
    figure_signal(MetricKind.POPULATION, lambda v: v >= 50_000),
    matches(BURSTY),
)


def downtime_minutes(percent: float) -> float:
    """Minutes of downtime per 30 days an availability target allows."""
    return (100 - percent) / 100 * MINUTES_PER_30_DAYS


def _assess_scaling(situation: Situation, a: Assessment) -> None:
    users = scale(situation)
    up = availability(situation)
    a.support(users, up)
    summary = latency_at_scale(situation)
    if summary:
        a.fact(f"{summary}.")
    elif users is not None:
        a.fact(f"{users.source} expects {count(users.metric.value)} people online at once.")
    if up is not None:
        a.fact(
            f"{up.source} sets {figure(up.metric)} availability, about {count(round(downtime_minutes(up.metric.value)))} "
            "minutes of downtime per 30 days."
        )
    if up is not None and up.metric.value >= 99.9:
        a.penalise(
            "vertical",
            2,
            f"Failover and deploys of a single instance eat into the {figure(up.metric)} target ({up.source}).",
        )
        a.favour("fixed-replicas", 1)
        a.favour("autoscaling", 1)
        a.at_least(Impact.HIGH)
    if users is not None and users.metric.value >= 1000:
        a.penalise("vertical", 1, f"{count(users.metric.value)} people at once ({users.source}) put the whole load on one machine.")
        a.at_least(Impact.HIGH)
    if users is not None and users.metric.value >= 10_000:
        a.favour("autoscaling", 1, pro=f"Follows the load of up to {count(users.metric.value)} people ({users.source}).")
    bursty = situation.ids(BURSTY)
    if bursty:
        a.favour("autoscaling", 2, f"{subject(bursty, 'describes', 'describe')} peaks, which autoscaling follows without paying for them all day.")
    if situation.says(REALTIME):
        a.penalise("autoscaling", 0.5, "Scaling in must drain open real-time connections gracefully.")


HORIZONTAL_SCALING = Topic(
    key="horizontal-scaling",
    category=Category.SCALING,
    prose=PROSE["horizontal-scaling"],
    trigger=when(SERVICE, _LOAD),
    assess=_assess_scaling,
    about=rx(r"\bscal\w+", r"\binstances?\b", r"\breplicas?\b", r"\bautoscal\w+"),
    prior={"vertical": 1.5, "fixed-replicas": 2, "autoscaling": 1.5},
    reasons={
        "fixed-replicas": "Two or more stateless instances behind a load balancer survive the loss of one, deploy "
        "without downtime, and are sized once for the stated peak.",
    },
    names={
        "autoscaling": rx(r"\bautoscal\w+", r"\bauto-scal\w+", r"\bHPA\b"),
    },
    depends_on=("deployment-platform",),
)

# --- connection fan-out ------------------------------------------------------------------------

_SEVERAL_INSTANCES = any_of(
    figure_signal(MetricKind.CONCURRENCY, lambda v: v >= 500),
    figure_signal(MetricKind.AVAILABILITY, lambda v: v >= 99.9),
    figure_signal(MetricKind.REGIONS, lambda v: v >= 2),
    matches(MULTI_REGION),
)


def _fanout_needed(situation: Situation) -> list[Evidence]:
    """Real-time delivery on more than one instance (unless delivery leans to plain polling)."""
    if situation.leaning("realtime-transport") == "polling":
        return []
    live = [s.evidence() for s in situation.hits(REALTIME)]
    if not live:
        return []
    spread = _SEVERAL_INSTANCES(situation)
    return [*live, *spread] if spread else []


def _assess_fanout(situation: Situation, a: Assessment) -> None:
    users = scale(situation)
    spread = regions(situation)
    up = availability(situation)
    live = situation.ids(REALTIME)
    a.support(users, up, spread)
    reasons = []
    if users is not None and users.metric.value >= 500:
        reasons.append(f"{count(users.metric.value)} people online at once ({users.source})")
    if up is not None and up.metric.value >= 99.9:
        reasons.append(f"a {figure(up.metric)} availability target ({up.source})")
    if spread is not None and spread.metric.value >= 2:
        reasons.append(f"{count(spread.metric.value)} regions ({spread.source})")
    because = f"; with {join_ids(reasons)}, more than one instance will hold the connections" if reasons else ""
    a.fact(f"{subject(live, 'pushes', 'push')} changes to open pages{because}.")
    if situation.leaning("realtime-transport") == "hosted-realtime":
        a.favour(
            "hosted-pubsub",
            5,
            "The hosted realtime service leaned to for delivery already fans events out to every browser, so nothing else is needed.",
        )
    multi = situation.ids(MULTI_REGION)
    geography = situation.leaning("multi-region")
    if geography is not None:
        several_regions = geography in ("primary-with-read-regions", "active-active")
    else:
        several_regions = (spread is not None and spread.metric.value >= 2) or bool(multi)
    if several_regions:
        where = f"{count(spread.metric.value)} regions, {spread.source}" if spread is not None else join_ids(multi)
        a.penalise("postgres-notify", 3, f"Bound to one primary in one region, while connections sit in several regions ({where}).")
        a.penalise("redis-pubsub", 0.5, f"Needs a bridge between the regional Redis instances ({where}).")
        a.favour("hosted-pubsub", 1.5, pro=f"Delivers in every region ({where}) without a bridge.")
        a.at_least(Impact.HIGH)
    favour_running(situation, a, REDIS, "redis-pubsub", 1.5, adds="publish/subscribe", pro=False)
    if a.cite(situation.cite(r"\bPostgre(?:SQL|s)\b")):
        a.favour("postgres-notify", 0.5)
    rate = situation.highest(MetricKind.THROUGHPUT, rx(r"\bevents?\b", r"\bmessages?\b", r"\bupdates?\b", r"\bchanges\b", r"\bnotifications?\b"))
    if rate is not None and rate.metric.value >= 500:
        a.penalise("postgres-notify", 1.5, f"{described(rate)} events keep the database's notification queue busy.")
    if situation.says(PERSONAL_DATA):
        a.penalise("hosted-pubsub", 1, "Event payloads with personal data pass through a third party.")


CONNECTION_FANOUT = Topic(
    key="connection-fanout",
    category=Category.SCALING,
    prose=PROSE["connection-fanout"],
    trigger=_fanout_needed,
    assess=_assess_fanout,
    about=rx(r"\bpub/?sub\b", r"\bpublish\w*", r"\bfan[- ]?out\b", r"\bbroadcast\w*", r"\bchannels?\b"),
    prior={"redis-pubsub": 2, "postgres-notify": 2, "hosted-pubsub": 1},
    reasons={
        "redis-pubsub": "Redis publish/subscribe is the common low-latency way for every instance to hear every event.",
        "postgres-notify": "Database notifications go out only for committed changes and add no infrastructure, which "
        "suits modest event rates in one region.",
    },
    names={
        "redis-pubsub": rx(r"\bRedis (?:pub/?sub|channels|streams)\b"),
        "postgres-notify": rx(r"\bLISTEN/NOTIFY\b", r"\bpg_notify\b"),
        "hosted-pubsub": rx(r"\bPusher\b", r"\bAbly\b", r"\bPubNub\b"),
    },
    depends_on=("realtime-transport", "horizontal-scaling", "multi-region"),
)

TOPICS: tuple[Topic, ...] = (HORIZONTAL_SCALING, CONNECTION_FANOUT)
