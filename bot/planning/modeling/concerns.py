"""Which technical decision speaks to which data concern (store, files, encryption, audit, caching…).

Catalog topics and option traits evolve, so both are matched loosely, topic first."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.planning.decisions import TechnicalDecision


# concern -> (pattern on the decision's topic, pattern on the traits of the option in force).
# Catalog topics and traits evolve, so both are matched loosely; a topic match wins.
DECISION_CONCERNS: dict[str, tuple[str, str]] = {
    "datastore": (
        r"datastore|data-store|database|persistence|system-of-record|primary-store",
        r"\b(relational|document-store|document|postgres\w*|mysql|mariadb|sqlite|mongo\w*|dynamo\w*|sql-?server|key-value)\b",
    ),
    "file-storage": (
        r"file|object-stor|blob|upload|attachment|media",
        r"\b(object-storage|s3|blob\w*|gcs|filesystem|file-system|bytea|gridfs)\b",
    ),
    "encryption": (r"encrypt|personal-data|pii|privacy", r"encrypt"),
    "audit": (r"audit|history", r"\b(append-only-audit|audit\w*|event-sourc\w*|history-table|temporal)\b"),
    "retention": (r"retention|archiv|lifecycle|purge", r"\b(retention|archiv\w*|ttl|purge)\b"),
    "caching": (r"cach", r"cach"),
    "realtime": (
        r"real-?time|push|live-update|streaming-transport|notification-transport",
        r"\b(websockets?|sse|server-sent-events|long-polling|polling|webtransport)\b",
    ),
    "messaging": (
        r"background|queue|messag|async|job|worker|event-bus|broker|outbox",
        r"\b(message-queue|queue|kafka|rabbitmq|amqp|sqs|sns|pubsub|pub-sub|redis-streams?|nats|celery|rq|outbox)\b",
    ),
    "api-style": (r"api-style|api-protocol|api-paradigm|interface-style", r"\b(rest|restful|openapi|graphql|grpc|protobuf|json-rpc)\b"),
    "authentication": (r"auth|identity|sso|login|sign-in", r"\b(oidc|openid\w*|saml|oauth2?|jwt|api-key|session\w*|bearer)\b"),
}

# Topics that mention a store but are not the system of record.
_NOT_DATASTORE = re.compile(r"file|object|blob|cach|search|queue|messag|analytic|warehouse|log", re.I)


def decision_for(decisions: Sequence[TechnicalDecision], concern: str) -> TechnicalDecision | None:
    """The decision that speaks to a concern, if any: first by topic, then by the traits in force."""
    topic_pattern, trait_pattern = DECISION_CONCERNS[concern]
    for td in decisions:
        if re.search(topic_pattern, td.topic, re.I) and not (concern == "datastore" and _NOT_DATASTORE.search(td.topic)):
            return td
    for td in decisions:
        if concern == "datastore" and _NOT_DATASTORE.search(td.topic):
            continue
        if any(re.search(trait_pattern, trait, re.I) for trait in td.effective.traits):
            return td
    return None


def traits_of(td: TechnicalDecision | None) -> set[str]:
    return {t.lower() for t in td.effective.traits} if td else set()


def has_trait(td: TechnicalDecision | None, pattern: str) -> bool:
    return td is not None and any(re.search(pattern, t, re.I) for t in td.effective.traits)


def option_text(td: TechnicalDecision) -> str:
    option = td.effective
    return " ".join([option.title, option.summary, *option.traits])
