"""The technologies a plan relies on, recognised in the decisions in force, the settled decisions,
the repository's stack, its constitution and the spec; with the settings each one needs to run.

Only the options in force count: a rejected option's technology is never reported. Versions come
from the repository's manifests or the constitution's own words, never from anywhere else.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, Field

from bot.planning.memo import per_plan
from bot.planning.plan import Plan


class TechKind(StrEnum):
    DATABASE = "database"
    CACHE = "cache"
    OBJECT_STORAGE = "object storage"
    IDENTITY = "identity"
    EMAIL = "email"
    CHAT = "chat"
    BROKER = "message broker"
    JOB_QUEUE = "job queue"
    REALTIME = "realtime transport"
    SEARCH = "search"
    OBSERVABILITY = "observability"
    SECRETS = "secrets"
    FRAMEWORK = "framework"
    PATTERN = "pattern"  # an architecture pattern named by a decision (outbox, idempotency keys…)


class Setting(BaseModel):
    """One environment variable a technology needs in development."""

    name: str
    example: str  # may hold `{db}` (database name), `{slug}` (the feature's short name), `{heartbeat}` (seconds)
    comment: str
    secret: bool = False


class Technology(BaseModel):
    key: str
    name: str
    kind: TechKind
    pattern: str = Field(repr=False)  # case-insensitive regular expression
    settings: list[Setting] = Field(default_factory=list)
    image: str | None = None  # container image name for a local instance (tag = version)
    version_names: list[str] = Field(default_factory=list)  # dependency names whose version it takes
    language: str | None = None  # for frameworks: the language they belong to
    versioned: bool = True  # False for protocols, hosted services and patterns: no version to pin

    def matches(self, text: str) -> bool:
        return _compiled(self.pattern).search(text) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # MULTILINE: anchored patterns (a bare dependency name) match one line of a longer text
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


def _s(name: str, example: str, comment: str, secret: bool = False) -> Setting:
    return Setting(name=name, example=example, comment=comment, secret=secret)


CATALOG: tuple[Technology, ...] = (
    Technology(key="postgresql", name="PostgreSQL", kind=TechKind.DATABASE, pattern=r"\bpostgres(?:ql)?\b",
               settings=[_s("DATABASE_URL", "postgresql://app:app@localhost:5432/{db}", "the system of record")],
               image="postgres", version_names=["postgresql", "postgres"]),
    Technology(key="mysql", name="MySQL", kind=TechKind.DATABASE, pattern=r"\bmysql\b|\bmariadb\b",
               settings=[_s("DATABASE_URL", "mysql://app:app@localhost:3306/{db}", "the system of record")],
               image="mysql", version_names=["mysql"]),
    Technology(key="sqlite", name="SQLite", kind=TechKind.DATABASE, pattern=r"\bsqlite\b",
               settings=[_s("DATABASE_URL", "sqlite:///./{db}.db", "a local database file")]),
    Technology(key="mongodb", name="MongoDB", kind=TechKind.DATABASE, pattern=r"\bmongo(?:db)?\b",
               settings=[_s("MONGODB_URI", "mongodb://localhost:27017/{db}", "the document store")],
               image="mongo", version_names=["mongodb", "pymongo", "mongoose"]),
    Technology(key="dynamodb", versioned=False, name="DynamoDB", kind=TechKind.DATABASE, pattern=r"\bdynamo ?db\b",
               settings=[_s("DYNAMODB_TABLE_PREFIX", "{db}_dev_", "table name prefix per environment")]),
    Technology(key="redis", name="Redis", kind=TechKind.CACHE, pattern=r"\bredis\b|\bvalkey\b",
               settings=[_s("REDIS_URL", "redis://localhost:6379/0", "cache, locks and queues")],
               image="redis", version_names=["redis"]),
    Technology(key="memcached", name="Memcached", kind=TechKind.CACHE, pattern=r"\bmemcache[d]?\b",
               settings=[_s("MEMCACHED_SERVERS", "localhost:11211", "cache nodes")], image="memcached"),
    Technology(key="object-storage", versioned=False, name="Object storage (S3-compatible)", kind=TechKind.OBJECT_STORAGE,
               pattern=r"\bs3\b|object[- ]storage|blob storage|\bminio\b|\bgcs\b|cloud storage bucket",
               settings=[_s("OBJECT_STORAGE_BUCKET", "{slug}-dev", "private bucket for uploaded files"),
                         _s("OBJECT_STORAGE_ENDPOINT_URL", "http://localhost:9000", "a local S3-compatible server"),
                         _s("OBJECT_STORAGE_ACCESS_KEY_ID", "dev-access-key", "local credentials only", True),
                         _s("OBJECT_STORAGE_SECRET_ACCESS_KEY", "dev-secret-key", "local credentials only", True)],
               image="minio/minio", version_names=["boto3", "aioboto3", "@aws-sdk/client-s3", "minio"]),
    Technology(key="oidc", versioned=False, name="OpenID Connect", kind=TechKind.IDENTITY,
               pattern=r"\boidc\b|openid connect|single sign[- ]on|\bsso\b",
               settings=[_s("OIDC_ISSUER_URL", "https://login.example.test/realms/dev", "the identity provider's issuer"),
                         _s("OIDC_CLIENT_ID", "{slug}-local", "the client registered for local development"),
                         _s("OIDC_CLIENT_SECRET", "replace-me", "from the secret store, never committed", True)],
               version_names=["authlib", "python-jose", "pyjwt", "openid-client", "passport"]),
    Technology(key="saml", versioned=False, name="SAML", kind=TechKind.IDENTITY, pattern=r"\bsaml\b",
               settings=[_s("SAML_IDP_METADATA_URL", "https://idp.example.test/metadata", "identity provider metadata")]),
    Technology(key="smtp", versioned=False, name="Email (SMTP)", kind=TechKind.EMAIL,
               pattern=r"\bsmtp\b|\bby e-?mail\b|\be-?mail notifications?\b|\bsend(?:s|ing)? (?:an )?e-?mails?\b",
               settings=[_s("SMTP_HOST", "localhost", "a local mail catcher in development"),
                         _s("SMTP_PORT", "1025", "the mail catcher's SMTP port"),
                         _s("SMTP_FROM", "no-reply@example.test", "sender address")],
               image="axllent/mailpit"),
    Technology(key="slack", versioned=False, name="Slack", kind=TechKind.CHAT, pattern=r"\bslack\b",
               settings=[_s("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/replace-me", "incoming webhook", True)]),
    Technology(key="teams", versioned=False, name="Microsoft Teams", kind=TechKind.CHAT, pattern=r"microsoft teams|\bms teams\b",
               settings=[_s("TEAMS_WEBHOOK_URL", "https://example.test/teams-webhook", "incoming webhook", True)]),
    Technology(key="kafka", name="Apache Kafka", kind=TechKind.BROKER, pattern=r"\bkafka\b",
               settings=[_s("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "broker list")],
               version_names=["kafka-python", "confluent-kafka", "aiokafka", "kafkajs"]),
    Technology(key="rabbitmq", name="RabbitMQ", kind=TechKind.BROKER, pattern=r"\brabbitmq\b|\bamqp\b",
               settings=[_s("AMQP_URL", "amqp://guest:guest@localhost:5672/", "broker connection")],
               image="rabbitmq", version_names=["pika", "aio-pika", "amqplib"]),
    Technology(key="sqs", versioned=False, name="Amazon SQS", kind=TechKind.BROKER, pattern=r"\bsqs\b",
               settings=[_s("SQS_QUEUE_URL", "http://localhost:4566/000000000000/{slug}-dev", "queue URL")]),
    Technology(key="nats", name="NATS", kind=TechKind.BROKER, pattern=r"\bnats\b",
               settings=[_s("NATS_URL", "nats://localhost:4222", "broker connection")], image="nats"),
    Technology(key="job-queue", versioned=False, name="Background job queue", kind=TechKind.JOB_QUEUE,
               pattern=r"\bcelery\b|\brq\b|\bsidekiq\b|\bbullmq\b|background (?:job|worker)s?|job (?:queue|table)|task queue",
               settings=[_s("WORKER_CONCURRENCY", "2", "worker processes in development")],
               version_names=["celery", "rq", "bullmq", "sidekiq"]),
    Technology(key="sse", versioned=False, name="Server-Sent Events", kind=TechKind.REALTIME,
               pattern=r"\bsse\b|server[- ]sent events?|event[- ]?stream",
               settings=[_s("SSE_HEARTBEAT_SECONDS", "{heartbeat}", "comment line sent on idle streams")]),
    Technology(key="websocket", versioned=False, name="WebSocket", kind=TechKind.REALTIME, pattern=r"\bweb ?sockets?\b",
               settings=[_s("WS_PING_INTERVAL_SECONDS", "{heartbeat}", "ping frames on idle connections")]),
    Technology(key="polling", versioned=False, name="Polling", kind=TechKind.REALTIME, pattern=r"\b(?:long[- ])?polling\b",
               settings=[_s("POLL_INTERVAL_SECONDS", "{heartbeat}", "client polling interval")]),
    Technology(key="elasticsearch", name="Elasticsearch/OpenSearch", kind=TechKind.SEARCH,
               pattern=r"\belastic ?search\b|\bopensearch\b",
               settings=[_s("SEARCH_URL", "http://localhost:9200", "search cluster")]),
    Technology(key="opentelemetry", name="OpenTelemetry", kind=TechKind.OBSERVABILITY,
               pattern=r"\bopen ?telemetry\b|\botel\b",
               settings=[_s("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318", "trace collector")],
               version_names=["opentelemetry-sdk", "@opentelemetry/sdk-node"]),
    Technology(key="prometheus", name="Prometheus", kind=TechKind.OBSERVABILITY, pattern=r"\bprometheus\b",
               settings=[_s("METRICS_PORT", "9100", "where /metrics is served")],
               version_names=["prometheus-client", "prom-client"]),
    Technology(key="vault", versioned=False, name="Secret vault", kind=TechKind.SECRETS,
               pattern=r"\bvault\b|secrets? manager|key vault",
               settings=[_s("VAULT_ADDR", "http://localhost:8200", "secret store in development")]),
    Technology(key="outbox", versioned=False, name="Transactional outbox", kind=TechKind.PATTERN, pattern=r"\boutbox\b"),
    Technology(key="idempotency", versioned=False, name="Idempotency keys", kind=TechKind.PATTERN,
               pattern=r"idempoten|exactly[- ]once|de-?duplicat"),
    Technology(key="event-sourcing", versioned=False, name="Event sourcing", kind=TechKind.PATTERN, pattern=r"event[- ]sourc"),
    Technology(key="cqrs", versioned=False, name="CQRS", kind=TechKind.PATTERN, pattern=r"\bcqrs\b"),
    Technology(key="circuit-breaker", versioned=False, name="Circuit breaker", kind=TechKind.PATTERN, pattern=r"circuit[- ]breaker"),
    Technology(key="modular-monolith", versioned=False, name="Modular monolith", kind=TechKind.PATTERN,
               pattern=r"modular monolith|\bmonolith\b"),
    Technology(key="microservices", versioned=False, name="Microservices", kind=TechKind.PATTERN, pattern=r"micro-?services?\b"),
    Technology(key="signed-urls", versioned=False, name="Pre-signed URLs", kind=TechKind.PATTERN,
               pattern=r"pre-?signed|signed url"),
    Technology(key="pubsub", versioned=False, name="Publish/subscribe fan-out", kind=TechKind.PATTERN,
               pattern=r"pub/?sub|publish[- /]subscribe|fan-?out"),
    Technology(key="cache-aside", versioned=False, name="Cache-aside", kind=TechKind.PATTERN, pattern=r"cache[- ]aside|read-through"),
    Technology(key="fastapi", name="FastAPI", kind=TechKind.FRAMEWORK, pattern=r"\bfastapi\b",
               version_names=["fastapi"], language="Python"),
    Technology(key="django", name="Django", kind=TechKind.FRAMEWORK, pattern=r"\bdjango\b",
               version_names=["django"], language="Python"),
    Technology(key="flask", name="Flask", kind=TechKind.FRAMEWORK, pattern=r"\bflask\b",
               version_names=["flask"], language="Python"),
    Technology(key="express", name="Express", kind=TechKind.FRAMEWORK, pattern=r"\bexpress\.?js\b|^express$",
               version_names=["express"], language="TypeScript"),
    Technology(key="nestjs", name="NestJS", kind=TechKind.FRAMEWORK, pattern=r"\bnest\.?js\b|^@nestjs/core$",
               version_names=["@nestjs/core"], language="TypeScript"),
    Technology(key="spring", name="Spring Boot", kind=TechKind.FRAMEWORK, pattern=r"\bspring[- ]boot\b|\bspring framework\b",
               version_names=["spring-boot-starter-web", "spring-boot"], language="Java"),
    Technology(key="rails", name="Ruby on Rails", kind=TechKind.FRAMEWORK, pattern=r"ruby on rails|^rails$",
               version_names=["rails"], language="Ruby"),
    Technology(key="gin", name="Gin", kind=TechKind.FRAMEWORK, pattern=r"gin-gonic|\bgin (?:framework|router)\b",
               version_names=["github.com/gin-gonic/gin"], language="Go"),
)


class FoundTechnology(BaseModel):
    """A technology the plan relies on, with where it was found and the version the repository pins."""

    technology: Technology
    sources: list[str] = Field(default_factory=list)  # "TD003", "Stack: pyproject.toml", "Constitution II…", "FR-010"
    decisions: list[str] = Field(default_factory=list)  # TD ids of the decisions in force that chose it
    provisional: bool = False  # chosen only by a PROVISIONAL DECISION
    version: str | None = None  # from a manifest or the constitution; None: to be verified
    version_source: str | None = None

    @property
    def key(self) -> str:
        return self.technology.key

    @property
    def name(self) -> str:
        return self.technology.name

    @property
    def kind(self) -> TechKind:
        return self.technology.kind


def _sources(plan: Plan) -> list[tuple[str, str, str | None, bool]]:
    """Every text that can name a technology in force: (source label, text, TD id, provisional),
    decisions first, so that a decision's choice outranks the same kind named elsewhere."""
    out: list[tuple[str, str, str | None, bool]] = []
    for td in plan.analysis.decisions:
        option = td.effective
        text = " ".join([option.title, option.summary, *option.traits])
        out.append((td.id, text, td.id, td.provisional))
    for settled in plan.analysis.settled:
        out.append((settled.source, f"{settled.title} {settled.decision}", None, False))
    constitution = plan.context.constitution
    if constitution is not None:
        out += [(label, f"{label} {text}", None, False) for label, text in constitution.rules()]
    stack = plan.context.stack
    manifest = f"Stack: {', '.join(stack.manifests)}" if stack.manifests else "Stack"
    for name in (*stack.frameworks, *stack.databases, *stack.services):
        out.append((manifest, name, None, False))
    for dep in stack.dependencies:
        out.append((f"Stack: {dep.source}", dep.name, None, False))
    spec = plan.context.spec
    out += [(source, text, None, False) for source, text in spec.statements()]
    for clarification in plan.context.clarifications:
        label = f"Clarification {clarification.id}" if clarification.id else "Clarification"
        out.append((label, f"{clarification.question} {clarification.answer}", None, False))
    if plan.context.user_context:
        out.append(("Technical context", plan.context.user_context, None, False))
    return out


_VERSION = r"\s+v?(\d+(?:\.\d+){0,2})\b"


def _version(plan: Plan, tech: Technology) -> tuple[str | None, str | None]:
    stack = plan.context.stack
    for name in tech.version_names or [tech.key]:
        for dep in stack.dependencies:
            if dep.name.lower() == name.lower() and dep.version:
                return dep.version, dep.source
    for entry in stack.databases + stack.frameworks + stack.languages:
        found = re.search(f"(?:{tech.pattern}){_VERSION}", entry, re.IGNORECASE)
        if found:
            return found.group(1), "Stack"
    constitution = plan.context.constitution
    if constitution is not None:
        for label, text in constitution.rules():
            found = re.search(f"(?:{tech.pattern}){_VERSION}", text, re.IGNORECASE)
            if found:
                return found.group(1), label
    return None, None


@per_plan
def technologies_in_force(plan: Plan) -> list[FoundTechnology]:
    """The catalog's technologies the plan relies on, in catalog order, each with its sources."""
    found: dict[str, FoundTechnology] = {}
    sources = _sources(plan)
    corpus = "\n".join(text for _, text, _, _ in sources)
    named = [tech for tech in CATALOG if tech.matches(corpus)]  # most of the catalog is absent: skip it early
    for label, text, decision_id, provisional in sources:
        for tech in named:
            if not tech.matches(text):
                continue
            entry = found.get(tech.key)
            if entry is None:
                entry = found[tech.key] = FoundTechnology(technology=tech, provisional=provisional)
            elif not provisional and entry.provisional:
                entry.provisional = False
            if label not in entry.sources:
                entry.sources.append(label)
            if decision_id and decision_id not in entry.decisions:
                entry.decisions.append(decision_id)
    result: list[FoundTechnology] = []
    for tech in CATALOG:
        entry = found.get(tech.key)
        if entry is None:
            continue
        entry.provisional = entry.provisional and all(s in entry.decisions for s in entry.sources)
        if tech.versioned:
            entry.version, entry.version_source = _version(plan, tech)
        result.append(entry)
    return result


def of_kind(found: list[FoundTechnology], *kinds: TechKind) -> list[FoundTechnology]:
    return [f for f in found if f.kind in kinds]

