"""Deployment decisions: the platform the service runs on, and the regions it runs in."""

from __future__ import annotations

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import availability, described, join_ids, regions, scale, subject
from bot.planning.catalog.figures import count, figure
from bot.planning.catalog.gates import SERVICE, STATED_LOAD
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.signals import any_of, figure as figure_signal, matches, rx, when
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import (
    ASYNC_WORK,
    BURSTY,
    EXACTLY_ONCE,
    HEAVY_WORK,
    MULTI_REGION,
    PERSONAL_DATA,
    REALTIME,
    REGION_HOSTING,
    SCHEDULED,
)
from bot.planning.decisions import Category, Impact
from bot.planning.spec import MetricKind

PROSE = load_prose(Category.DEPLOYMENT)

# --- deployment platform -----------------------------------------------------------------------

_PLATFORM_WORDS = rx(
    r"\bdeploy\w*",
    r"\bhost(?:ed|ing)\b",
    r"\bKubernetes\b|\bk8s\b",
    r"\bserverless\b",
    r"\bLambda\b",
    r"\bcloud (?:provider|platform|run)\b",
    r"\bcontainers?\b",
)
_OPERATIONAL_WEIGHT = any_of(
    STATED_LOAD,
    matches(REALTIME),
    matches(SCHEDULED),
    matches(ASYNC_WORK),
    matches(_PLATFORM_WORDS),
)


def _assess_platform(situation: Situation, a: Assessment) -> None:
    users = scale(situation)
    up = availability(situation)
    live = situation.ids(REALTIME)
    long_jobs = situation.ids(HEAVY_WORK) + situation.ids(SCHEDULED)
    a.support(users, up)
    workloads = []
    if users is not None:
        workloads.append(f"{count(users.metric.value)} people online at once ({users.source})")
    if live:
        workloads.append(f"open connections for live updates ({join_ids(live)})")
    if long_jobs:
        workloads.append(f"scheduled or heavy background work ({join_ids(long_jobs)})")
    if up is not None:
        workloads.append(f"a {figure(up.metric)} availability target ({up.source})")
    if workloads:
        a.fact(f"The platform must carry {join_ids(workloads)}.")
    if live:
        a.penalise("serverless", 4, f"The live updates of {join_ids(live)} need open connections that functions cannot hold.")
        a.penalise(
            "paas",
            1,
            "Many app platforms cap how long a streaming response may stay idle or open (often under a minute), "
            "which long-lived connections must work around.",
        )
    if long_jobs:
        a.penalise("serverless", 1, f"Long-running work ({join_ids(long_jobs)}) runs into function time limits.")
    bound = situation.lowest(MetricKind.LATENCY)
    if bound is not None and bound.metric.value <= 300:
        a.penalise("serverless", 1, f"Cold starts threaten the {described(bound)} bound.")
    bursty = situation.ids(BURSTY)
    if bursty and not live:
        a.favour("serverless", 2, f"{subject(bursty, 'describes', 'describe')} bursts that scale-to-zero functions absorb cheaply.")
    if up is not None and up.metric.value >= 99.9 and users is not None and users.metric.value >= 1000:
        a.favour(
            "containers",
            1,
            f"It gives the control over health checks, rolling deploys and capacity that {figure(up.metric)} "
            f"availability at {count(users.metric.value)} users needs.",
        )
    spread = regions(situation)
    if (spread is not None and spread.metric.value >= 2) or situation.says(REGION_HOSTING):
        a.penalise("paas", 0.5, "Few app platforms run one application across several regions with shared state.")
        a.favour("containers", 0.5, pro="Runs the same images in every region the feature needs.")
    if situation.says(PERSONAL_DATA) and situation.says(MULTI_REGION):
        a.penalise("paas", 0.5, "Less control over where personal data is stored and over network isolation.")
    if situation.stack.frameworks:
        a.favour("containers", 0, pro=f"Packages the existing {situation.stack.frameworks[0]} application unchanged.")


DEPLOYMENT_PLATFORM = Topic(
    key="deployment-platform",
    category=Category.DEPLOYMENT,
    prose=PROSE["deployment-platform"],
    trigger=when(SERVICE, _OPERATIONAL_WEIGHT),
    assess=_assess_platform,
    impact=Impact.HIGH,
    about=rx(_PLATFORM_WORDS.pattern, r"\bplatform\b", r"\binfrastructure\b", r"\bcluster\b", r"\bruns? on\b"),
    prior={"containers": 2, "paas": 2, "serverless": 1},
    reasons={
        "containers": "Long-running containers host web processes, workers and open connections alike, and the same "
        "image runs locally, in CI and in production.",
    },
    names={
        "containers": rx(r"\bKubernetes\b", r"\bk8s\b", r"\bECS\b", r"\bCloud Run\b", r"\bEKS\b|\bGKE\b|\bAKS\b", r"\bNomad\b"),
        "serverless": rx(r"\bserverless\b", r"\bLambda\b", r"\bCloud Functions\b", r"\bAzure Functions\b"),
        "paas": rx(r"\bHeroku\b", r"\bFly\.io\b", r"\bApp Service\b", r"\bElastic Beanstalk\b", r"\bApp Engine\b", r"\bRender\.com\b"),
    },
    stack_names={
        "containers": rx(r"^container image$"),
        "serverless": rx(r"^(?:serverless|mangum|chalice|zappa|aws-lambda-powertools|@vercel/node)$"),
    },
)

# --- regions -----------------------------------------------------------------------------------


def _assess_regions(situation: Situation, a: Assessment) -> None:
    spread = regions(situation)
    words = situation.hits(MULTI_REGION)
    hosting = situation.hits(REGION_HOSTING)
    a.support(spread, *hosting[:1], *words[:1])
    if spread is not None:
        a.fact(f"{spread.source} spreads the service over {count(spread.metric.value)} regions: “{spread.sentence}”")
    elif words:
        a.fact(f"{words[0].source} spans more than one geography: “{words[0].text}”")
    required = hosting or (spread is not None and spread.metric.value >= 3)
    if required:
        where = hosting[0].source if hosting else spread.source
        a.contradict(
            "single-region",
            f"{where} needs the service in several regions; one region serves them only from afar and fails with that region.",
        )
    elif spread is not None or words:
        where = spread.source if spread is not None else words[0].source
        a.penalise("single-region", 1, f"Users in the far region ({where}) pay the cross-region round trip on every request.")
    bound = situation.lowest(MetricKind.LATENCY)
    if bound is not None and bound.metric.value <= 300:
        a.penalise("single-region", 0.5, f"Round trips between continents take a large share of the {described(bound)} budget.")
    up = availability(situation)
    if up is not None and up.metric.value >= 99.95:
        a.favour("active-active", 1.5, f"{described(up)} availability leaves no time for a regional failover.")
        a.favour("primary-with-read-regions", 0.5)
    once = situation.ids(EXACTLY_ONCE)
    if once:
        a.penalise("active-active", 1, f"Multi-writer replication makes the no-duplicate guarantee of {join_ids(once)} much harder.")
    residency = situation.first(rx(r"\bdata residency\b", r"\b(?:must|shall) (?:stay|remain|be stored) in\b"))
    if residency is not None:
        a.penalise("primary-with-read-regions", 1, f"Read replicas copy data to other regions, which {residency.source} may forbid.")
        a.favour("active-active", 1, pro=f"Each region can keep its own users' data ({residency.source}).")
    if situation.says(PERSONAL_DATA):
        a.note("Personal data that crosses regions needs a lawful transfer basis and a record of where each copy lives.")
    users = scale(situation)
    if users is not None:
        a.note(f"Connections and sessions of up to {count(users.metric.value)} people ({users.source}) are spread over the regions chosen here.")


MULTI_REGION_TOPIC = Topic(
    key="multi-region",
    category=Category.DEPLOYMENT,
    prose=PROSE["multi-region"],
    trigger=when(SERVICE, any_of(figure_signal(MetricKind.REGIONS, lambda v: v >= 2), matches(MULTI_REGION))),
    assess=_assess_regions,
    impact=Impact.HIGH,
    about=rx(r"\bregions?\b", r"\bgeo\w*", r"\bresidency\b", r"\bfailover\b"),
    prior={"single-region": 2, "primary-with-read-regions": 1.5, "active-active": 0.5},
    reasons={
        "single-region": "One region with a CDN for static assets and backups copied to a second region keeps one "
        "primary and no replication conflicts.",
        "primary-with-read-regions": "A primary region for writes, with the application, read replicas and open "
        "connections in each other region, puts every user close to a server while keeping a single writer.",
    },
    names={
        "single-region": rx(r"\bsingle region\b", r"\bone region\b"),
        "primary-with-read-regions": rx(r"\bread replicas? in\b", r"\bprimary region\b"),
        "active-active": rx(r"\bactive[- ]active\b", r"\bmulti[- ](?:master|writer)\b"),
    },
)

TOPICS: tuple[Topic, ...] = (DEPLOYMENT_PLATFORM, MULTI_REGION_TOPIC)
