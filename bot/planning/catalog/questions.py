"""Open `[NEEDS CLARIFICATION]` questions: technical ones become or feed a decision, the rest
go to the business. A question is technical when it asks about technology (a protocol, a
database, a format, hosting…), not about rules, fields, amounts or who may do what."""

from __future__ import annotations

from bot.planning.catalog.signals import rx
from bot.planning.spec import OpenQuestion

TECHNICAL = rx(
    r"\bprotocols?\b",
    r"\bdatabases?\b",
    r"\bdata ?stores?\b",
    r"\bstorage (?:engine|backend|layer|service|technology)\b",
    r"\b(?:file|data|message|wire|serialization|payload|export) formats?\b",
    r"\bframeworks?\b",
    r"\blibrar(?:y|ies)\b",
    r"\bSDKs?\b",
    r"\bAPIs?\b",
    r"\bendpoints?\b",
    r"\bcach\w+",
    r"\b(?:message|job|task|event) (?:queues?|bus|brokers?)\b",
    r"\bbrokers?\b",
    r"\btransports?\b",
    r"\bweb ?sockets?\b",
    r"\bserver[- ]sent events\b|\bSSE\b",
    r"\bpolling\b",
    r"\bencrypt\w*",
    r"\balgorithms?\b",
    r"\bhost(?:ing|ed)\b",
    r"\bcloud\b",
    r"\bdeploy\w*",
    r"\binfrastructure\b",
    r"\bprogramming languages?\b",
    r"\bschemas?\b",
    r"\bindex(?:es|ing)\b",
    r"\blatency\b",
    r"\bthroughput\b",
    r"\bOAuth\w*",
    r"\bOIDC\b|\bSAML\b|\bSSO\b",
    r"\btokens?\b",
    r"\bcertificates?\b",
    r"\bservers?\b",
    r"\bserverless\b",
    r"\bcontainers?\b",
    r"\bKubernetes\b",
    r"\breplica\w*",
    r"\bshard\w*",
    r"\bsearch engine\b",
    r"\bOCR\b",
    r"\bwebhooks?\b",
    r"\bpub/?sub\b",
    r"\bmicro-?services?\b",
    r"\bmonolith\w*",
    r"\b(?:a)?synchronous(?:ly)?\b",
    r"\bbackups?\b",
    r"\bload balanc\w+",
)


def is_technical(question: OpenQuestion | str) -> bool:
    text = question.question if isinstance(question, OpenQuestion) else question
    return TECHNICAL.search(text) is not None
