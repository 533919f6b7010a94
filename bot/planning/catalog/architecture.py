"""Architecture decisions: where the feature's code runs, how background work runs, how updates
reach browsers, and the API style for outside clients."""

from __future__ import annotations

import re

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import join_ids, latency_at_scale, regions, scale, subject
from bot.planning.catalog.figures import count, figure, seconds
from bot.planning.catalog.gates import SERVICE, outgoing_messages
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.scoring import (
    AUTHENTICATED_ENDPOINTS_RULE,
    SYSTEM_OF_RECORD_RULE,
    favour_running,
    grounds,
    pushed_under_access_rules,
)
from bot.planning.catalog.signals import any_of, matches, rx, when
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import (
    ASYNC_WORK,
    BURSTY,
    CLIENT_API,
    EXACTLY_ONCE,
    EXPLICIT_ARCHITECTURE,
    EXTERNAL_WRITE,
    FAILS_MIDWAY,
    HEAVY_WORK,
    INTERACTIVE,
    PERSONAL_DATA,
    PROXY_LIMIT,
    REALTIME,
    SCHEDULED,
    TWO_WAY,
)
from bot.planning.decisions import Category, Evidence, Impact
from bot.planning.spec import MetricKind

PROSE = load_prose(Category.ARCHITECTURE)

# --- service boundaries ------------------------------------------------------------------------

_WORKLOADS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("scheduled or background runs", rx(SCHEDULED.pattern, ASYNC_WORK.pattern)),
    ("heavy processing of files", HEAVY_WORK),
    ("writes to other systems", EXTERNAL_WRITE),
)


def _mixed_workloads(situation: Situation) -> list[Evidence]:
    """Interactive use plus at least two other kinds of workload, stated in different places."""
    if not situation.says(INTERACTIVE):
        return []
    present = [hits for hits in (situation.hits(pattern) for _, pattern in _WORKLOADS) if hits]
    sources = {s.source for hits in present for s in hits}
    if len(present) < 2 or len(sources) < 2:
        return []
    return [situation.hits(INTERACTIVE)[0].evidence(), *(hits[0].evidence() for hits in present)]


def _assess_boundaries(situation: Situation, a: Assessment) -> None:
    kinds = [(label, situation.ids(pattern)) for label, pattern in _WORKLOADS]
    kinds = [(label, ids) for label, ids in kinds if ids]
    if kinds:
        listed = "; ".join(f"{label} ({join_ids(ids)})" for label, ids in kinds)
        a.fact(f"Besides interactive use, the feature has {listed}.")
    if situation.stack.frameworks:
        framework = situation.stack.frameworks[0]
        a.favour(
            "modular-monolith",
            1,
            f"The repository already runs a {framework} application that can host the module.",
            pro=f"Reuses the existing {framework} application and its pipeline.",
        )
    explicit = situation.hits(rx(r"independently|separate|standalone|dedicated|micro-?services?"))
    if explicit:
        a.favour(
            "separate-service",
            2,
            f"{explicit[0].source} asks for the part to run on its own: “{explicit[0].text}”",
        )
    users = scale(situation)
    if users is not None and users.metric.value >= 5000 and situation.says(HEAVY_WORK):
        a.favour(
            "separate-service",
            1,
            pro="Heavy processing can scale apart from the interactive load.",
        )
    if situation.says(BURSTY) and situation.says(SCHEDULED):
        a.favour("serverless-functions", 1, pro="Bursty and scheduled work only pays while it runs.")
    if situation.says(REALTIME):
        a.penalise(
            "serverless-functions",
            3,
            f"{join_ids(situation.ids(REALTIME))} need open connections to browsers, which functions cannot hold.",
        )


SERVICE_BOUNDARIES = Topic(
    key="service-boundaries",
    category=Category.ARCHITECTURE,
    prose=PROSE["service-boundaries"],
    trigger=any_of(matches(EXPLICIT_ARCHITECTURE), _mixed_workloads),
    assess=_assess_boundaries,
    impact=Impact.HIGH,
    about=rx(r"monolith", r"\bservices?\b", r"deploy", r"architecture", r"\bmodules?\b", r"functions"),
    prior={"modular-monolith": 2},
    reasons={
        "modular-monolith": "A module of the existing application gives every workload one codebase and one "
        "transaction, and a clean module boundary keeps a later extraction open.",
    },
    names={
        "modular-monolith": rx(r"\bmodular monolith\b", r"\bmonolith\b"),
        "separate-service": rx(r"\bmicro-?services?\b", r"\bseparate services?\b"),
        "serverless-functions": rx(r"\bserverless\b", r"\bLambda\b", r"\bcloud functions\b"),
    },
)

# --- background processing ---------------------------------------------------------------------

_BROKERS = rx(r"^redis$", r"^rabbitmq$", r"^valkey$", r"redis", r"rabbit")
_JOB_WORDS = rx(r"\bjobs?\b", r"\btasks?\b", r"\bevents?\b", r"\bmessages?\b", r"\bnotifications?\b", r"\bexports?\b", r"\bimports?\b", r"\bdocuments?\b", r"\bfiles?\b")


def _assess_background(situation: Situation, a: Assessment) -> None:
    parts = []
    for label, pattern in (
        ("scheduled runs", SCHEDULED),
        ("heavy processing of files", HEAVY_WORK),
        ("retries when another system fails", FAILS_MIDWAY),
        ("queued work", ASYNC_WORK),
    ):
        ids = situation.ids(pattern)
        if ids:
            parts.append(f"{label} ({join_ids(ids)})")
    sends = [e.source for e in outgoing_messages(situation)]
    if sends:
        parts.append(f"outgoing messages ({join_ids(sends)})")
    if parts:
        a.fact(f"The feature needs work outside user requests: {', '.join(parts)}.")

    once = grounds(situation, a, EXACTLY_ONCE)
    if once:
        a.favour(
            "database-queue",
            2,
            f"{subject(once, 'rules', 'rule')} out lost or duplicated work, which a transactional enqueue guarantees on our side.",
            pro=f"Transactional enqueue serves the no-loss, no-duplicate demand of {join_ids(once)}.",
        )
        for option in ("broker-queue", "managed-queue"):
            a.penalise(
                option,
                1,
                f"Enqueueing outside the database transaction risks the lost or orphaned jobs {subject(once, 'rules', 'rule')} "
                "out, unless paired with an outbox.",
            )
        a.at_least(Impact.HIGH)
    if a.cite(situation.cite(*SYSTEM_OF_RECORD_RULE)):
        a.favour("database-queue", 1)
    favour_running(situation, a, _BROKERS, "broker-queue", 2, adds="a broker-backed queue")
    rate = situation.highest(MetricKind.THROUGHPUT, _JOB_WORDS)
    if rate is not None and rate.metric.value >= 200:
        a.favour(
            "broker-queue",
            2,
            f"{rate.source} sets {figure(rate.metric)}, more than a polled job table handles comfortably.",
        )
        a.penalise("database-queue", 1, f"Polling a table at {figure(rate.metric)} ({rate.source}) loads the primary database.")
    if situation.leaning("deployment-platform") == "serverless":
        a.favour("managed-queue", 2, "Queue-triggered functions fit the serverless platform without always-on workers.")


BACKGROUND_PROCESSING = Topic(
    key="background-processing",
    category=Category.ARCHITECTURE,
    prose=PROSE["background-processing"],
    trigger=when(SERVICE, any_of(matches(SCHEDULED), matches(ASYNC_WORK), matches(HEAVY_WORK), outgoing_messages)),
    assess=_assess_background,
    about=rx(r"queue", r"\bjobs?\b", r"workers?", r"background", r"\btasks?\b", r"\bbrokers?\b", r"\bmessag\w+"),
    prior={"database-queue": 2, "broker-queue": 1},
    reasons={
        "database-queue": "A job table in the primary database is enqueued in the same transaction as the change it "
        "follows, so no job is lost or sent for a change that rolled back, and it adds no infrastructure.",
    },
    names={
        "database-queue": rx(
            r"\bSKIP LOCKED\b",
            r"\b(?:database|table|postgres)[- ]backed (?:job |task )?queues?\b",
            r"\bprocrastinate\b",
            r"\bpgqueuer\b",
            r"\bgood_?job\b",
            r"\bsolid_?queue\b",
            r"\bgraphile[- ]worker\b",
        ),
        "broker-queue": rx(
            r"\bcelery\b",
            r"\bRQ\b",
            r"\bdramatiq\b",
            r"\bsidekiq\b",
            r"\bBullMQ\b",
            r"\bRabbitMQ\b",
            r"\bRedis (?:queues?|streams)\b",
        ),
        "managed-queue": rx(r"\bSQS\b", r"\bCloud Tasks\b", r"\bService Bus\b", r"\bStorage Queues?\b"),
    },
    stack_names={
        "database-queue": rx(r"^(?:procrastinate|pgqueuer|good_job|solid_queue|graphile-worker|oban|riverqueue)$"),
        "broker-queue": rx(r"^(?:celery|rq|dramatiq|arq|huey|sidekiq|bullmq|bull|kombu)$"),
        "managed-queue": rx(r"^(?:@aws-sdk/client-sqs|google-cloud-tasks|azure-servicebus|azure-storage-queue)$"),
    },
)

# --- real-time transport -----------------------------------------------------------------------

_IDLE = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|min|mins|minutes?)\b", re.IGNORECASE)


def idle_limit_ms(text: str) -> float | None:
    """The idle-connection limit a sentence states, in milliseconds (`60 s` → 60000)."""
    match = _IDLE.search(text)
    if match is None:
        return None
    value, unit = float(match.group(1)), match.group(2).lower()
    if unit.startswith("ms") or unit.startswith("milli"):
        return value
    if unit.startswith("min"):
        return value * 60_000
    return value * 1000


def heartbeat_seconds(idle_ms: float) -> int:
    """A heartbeat comfortably inside an idle limit: half of it, between 5 and 30 seconds."""
    return int(max(5, min(30, idle_ms / 2000)))


def _assess_realtime(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(REALTIME)
    bound = situation.lowest(MetricKind.LATENCY, REALTIME)
    users = scale(situation)
    spread = regions(situation)
    fact = f"{subject(ids, 'asks', 'ask')} for changes to reach open pages as they happen"
    if bound is not None:
        fact += f", within {figure(bound.metric)}"
    if users is not None:
        fact += f", for up to {count(users.metric.value)} people online at once ({users.source})"
    a.fact(fact + ".")
    a.support(bound, users, spread)
    page_bound = latency_at_scale(situation)
    if page_bound and (bound is None or bound.source not in page_bound):
        a.fact(f"{page_bound}.")

    two_way = grounds(situation, a, TWO_WAY)
    if two_way:
        a.favour(
            "websocket",
            4,
            f"{subject(two_way, 'needs', 'need')} messages in both directions, which WebSockets carry on one connection.",
        )
        a.penalise("sse", 2, f"One-way only, while {subject(two_way, 'needs', 'need')} messages from the browser too.")
    else:
        a.favour(
            "sse",
            1,
            "Updates flow one way, server to browser, which is exactly what Server-Sent Events carry over plain "
            "HTTP; user actions stay ordinary requests.",
        )
        a.penalise("websocket", 0.5, "Its two-way channel would go unused: nothing in the spec sends messages from the browser over it.")

    proxy = situation.first(PROXY_LIMIT)
    if proxy is not None:
        idle = idle_limit_ms(proxy.text)
        limit = f"the {seconds(idle)} idle limit" if idle else "the idle-connection limit"
        beat = heartbeat_seconds(idle) if idle else 15
        a.fact(f"{proxy.source} warns that proxies on the way cut idle connections: “{proxy.text}”")
        a.support(proxy)
        a.favour(
            "sse",
            1.5,
            f"A heartbeat every {beat} s keeps the stream alive under {limit} ({proxy.source}), and EventSource "
            "reconnects and resumes from the last event id by itself if a proxy still cuts it.",
            pro=f"A {beat} s heartbeat stays under {limit} ({proxy.source}).",
        )
        a.penalise(
            "websocket",
            1.5,
            f"Behind the proxies {proxy.source} describes, the upgrade may be refused and idle sockets cut: "
            "needs ping frames and a fallback transport.",
        )
        a.favour("polling", 1, pro=f"Short requests pass the proxies {proxy.source} describes.")
        a.favour("hosted-realtime", 0.5, pro="Client libraries fall back to other transports when a proxy blocks one.")
        a.at_least(Impact.HIGH)
        a.review = (
            f"Revisit if connection drops behind the proxies described in {proxy.source} exceed what reconnection "
            "hides, or if the browser must send messages over the same channel."
        )

    if bound is not None and bound.metric.value <= 1000:
        a.penalise("polling", 3, f"Polling cannot meet {figure(bound.metric)} ({bound.source}) without a request per second per page.")
    elif bound is not None and users is not None:
        interval = max(bound.metric.value / 1000, 1)
        rate = users.metric.value / interval
        a.penalise(
            "polling",
            2.5 if rate >= 100 else 1,
            f"To stay within {figure(bound.metric)}, {count(users.metric.value)} open pages polling every "
            f"{count(round(interval, 1))} s make about {count(round(rate))} requests per second, most of them empty.",
        )
    else:
        a.penalise("polling", 1)

    if users is not None and users.metric.value >= 1000:
        a.at_least(Impact.HIGH)
        for option in ("sse", "websocket"):
            a.penalise(
                option,
                0,
                f"{count(users.metric.value)} open connections ({users.source}) need a connection-capacity test per instance.",
            )
    if users is not None and users.metric.value >= 10_000:
        a.favour("hosted-realtime", 1.5, pro=f"Holds {count(users.metric.value)} connections without our servers.")
    if spread is not None and spread.metric.value >= 2:
        a.favour("hosted-realtime", 1, pro=f"Edge presence in each of the {count(spread.metric.value)} regions ({spread.source}).")
        a.at_least(Impact.HIGH)

    private = situation.ids(PERSONAL_DATA)
    if private:
        a.penalise(
            "hosted-realtime",
            1,
            f"Event payloads may carry personal data ({join_ids(private)}) through a third party; needs a data processing agreement.",
        )
    restricted = pushed_under_access_rules(situation)
    if restricted:
        a.support(restricted[0])
        a.note(
            f"{restricted[0].source} limits who may receive what (“{restricted[0].text}”), so events are filtered "
            "per subscriber whichever transport carries them."
        )
    if a.cite(situation.cite(*AUTHENTICATED_ENDPOINTS_RULE)):
        a.favour(
            "sse",
            0,
            "The stream is an endpoint like any other and authenticates with the session cookie, which EventSource sends.",
        )


REALTIME_TRANSPORT = Topic(
    key="realtime-transport",
    category=Category.ARCHITECTURE,
    prose=PROSE["realtime-transport"],
    trigger=matches(REALTIME),
    assess=_assess_realtime,
    about=rx(REALTIME.pattern, r"\bpush", r"\bstream", r"\bsockets?\b", r"\bpolling\b", r"\bbrowsers?\b"),
    prior={"sse": 3, "websocket": 2, "polling": 1, "hosted-realtime": 1},
    names={
        "sse": rx(r"\bserver[- ]sent events\b", r"\bSSE\b", r"\bEventSource\b"),
        "websocket": rx(r"\bweb ?sockets?\b", r"\bsocket\.io\b"),
        "polling": rx(r"\b(?:long[- ])?polling\b", r"\bpoll every\b"),
        "hosted-realtime": rx(r"\bPusher\b", r"\bAbly\b", r"\bPubNub\b", r"\bAppSync\b"),
    },
    stack_names={
        "websocket": rx(r"^(?:channels|python-socketio|socket\.io|@nestjs/websockets|actioncable)$"),
        "sse": rx(r"^(?:sse-starlette|django-eventstream|flask-sse)$"),
        "hosted-realtime": rx(r"^(?:pusher|pusher-js|ably|pubnub)$"),
    },
    depends_on=("deployment-platform",),
)

# --- API style ---------------------------------------------------------------------------------


def _assess_api(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(CLIENT_API)
    a.fact(f"{subject(ids, 'describes', 'describe')} clients beyond the feature's own pages.")
    if situation.says(rx(r"\bmobile\b")) and situation.says(rx(r"\bnested\b", r"\baggregat\w+", r"\bone (?:request|round trip)\b")):
        a.favour("graphql", 2, "Mobile screens that combine nested data load in one round trip with GraphQL.")
    if situation.says(rx(r"\bGraphQL\b")):
        a.favour("graphql", 1)
    if situation.says(rx(r"\bservice[- ]to[- ]service\b", r"\binternal services?\b", r"\bstreaming RPC\b", r"\bgRPC\b")):
        a.favour("grpc", 2, "Service-to-service calls gain most from compact, typed gRPC contracts.")
    if situation.says(INTERACTIVE):
        a.penalise("grpc", 1.5, "Browsers cannot call gRPC directly; needs a gRPC-Web proxy.")
    if a.cite(situation.cite(r"contract tests?", r"\bOpenAPI\b")):
        a.favour("rest-openapi", 1, "An OpenAPI document gives the constitution's contract tests a precise target.")
    if situation.stack.frameworks:
        framework = situation.stack.frameworks[0]
        a.favour("rest-openapi", 1, pro=f"{framework} serves JSON over HTTP out of the box.")


API_STYLE = Topic(
    key="api-style",
    category=Category.ARCHITECTURE,
    prose=PROSE["api-style"],
    trigger=matches(CLIENT_API),
    assess=_assess_api,
    impact=Impact.MEDIUM,
    about=CLIENT_API,
    prior={"rest-openapi": 2},
    reasons={
        "rest-openapi": "REST with an OpenAPI document is what outside clients expect, keeps HTTP caching, and the "
        "document doubles as the contract for tests and generated clients.",
    },
    names={
        "rest-openapi": rx(r"\bREST(?:ful)?\b", r"\bOpenAPI\b"),
        "graphql": rx(r"\bGraphQL\b"),
        "grpc": rx(r"\bgRPC\b", r"\bprotobuf\b"),
    },
    stack_names={
        "graphql": rx(r"^(?:strawberry-graphql|graphene|ariadne|apollo-server|@apollo/server|graphql-yoga|gqlgen)$"),
        "grpc": rx(r"^(?:grpcio|@grpc/grpc-js)$"),
    },
)

TOPICS: tuple[Topic, ...] = (SERVICE_BOUNDARIES, BACKGROUND_PROCESSING, REALTIME_TRANSPORT, API_STYLE)
