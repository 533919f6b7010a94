"""Security decisions: authentication, authorization, encryption of personal data, the audit
trail, secrets for other systems and rate limiting."""

from __future__ import annotations

from bot.planning.catalog.core import Assessment, Topic
from bot.planning.catalog.facts import described, join_ids, longest_retention, subject
from bot.planning.catalog.gates import SERVICE
from bot.planning.catalog.prose import load_prose
from bot.planning.catalog.scoring import (
    AUTHENTICATED_ENDPOINTS_RULE,
    REDIS,
    SYSTEM_OF_RECORD_RULE,
    favour_running,
    grounds,
    pushed_under_access_rules,
)
from bot.planning.catalog.signals import matches, rx, when
from bot.planning.catalog.situation import Situation
from bot.planning.catalog.vocabulary import (
    ABUSE,
    AUDIT,
    AUTHENTICATION,
    AUTHORIZATION,
    CLIENT_API,
    COMPANY_IDP,
    ERASURE,
    EXTERNAL_TARGET,
    FILES,
    MACHINE_CREDENTIALS,
    PERSONAL_DATA,
    REALTIME,
    RELATIONSHIP_RULES,
    SEARCH,
    SECRETS,
)
from bot.planning.decisions import Category, Evidence, Impact

PROSE = load_prose(Category.SECURITY)

# --- authentication ----------------------------------------------------------------------------


def _assess_authentication(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(AUTHENTICATION)
    a.fact(f"{subject(ids, 'requires', 'require')} people to be identified.")
    idp = situation.first(COMPANY_IDP)
    if idp is not None:
        a.support(idp)
        a.fact(f"{idp.source} fixes sign-in through the organisation's identity provider: “{idp.text}”")
        a.drop("local-accounts")
        a.penalise(
            "managed-identity",
            1.5,
            f"Puts a broker between people and the identity provider {idp.source} already names, for no gain here.",
        )
    else:
        a.favour("managed-identity", 2, "A hosted identity service brings sign-up, MFA and recovery flows without building them.")
        a.favour("local-accounts", 0.5)
    clients = situation.ids(CLIENT_API)
    if clients:
        a.favour("client-tokens", 2, f"Bearer tokens also serve the non-browser clients {subject(clients, 'describes', 'describe')}.")
    live = situation.ids(REALTIME)
    if live:
        a.favour(
            "server-session",
            1,
            pro=f"The live updates of {join_ids(live)} authenticate with the same cookie; browsers cannot add headers to EventSource.",
        )
    if situation.leaning("horizontal-scaling") in ("fixed-replicas", "autoscaling"):
        a.penalise("server-session", 0, "Sessions live in a shared store (the database or a cache) once several instances run.")
    a.cite(situation.cite(*AUTHENTICATED_ENDPOINTS_RULE))


AUTHENTICATION_TOPIC = Topic(
    key="authentication",
    category=Category.SECURITY,
    prose=PROSE["authentication"],
    trigger=when(SERVICE, matches(AUTHENTICATION)),
    assess=_assess_authentication,
    impact=Impact.HIGH,
    about=rx(AUTHENTICATION.pattern, r"\bsessions?\b", r"\btokens?\b", r"\bcookies?\b"),
    prior={"server-session": 3, "client-tokens": 2},
    reasons={
        "server-session": "A server-side session behind an HttpOnly cookie keeps tokens away from browser scripts, can "
        "be revoked at once, and also authenticates event streams and file downloads.",
    },
    names={
        "server-session": rx(r"\bsession cookies?\b", r"\bserver[- ]side sessions?\b", r"\bbackend[- ]for[- ]frontend\b"),
        "client-tokens": rx(r"\bbearer tokens?\b", r"\bPKCE\b", r"\baccess tokens? (?:in|held by) the (?:browser|client|SPA)\b"),
        "managed-identity": rx(r"\bAuth0\b", r"\bCognito\b", r"\bFirebase Auth\w*\b", r"\bClerk\b"),
        "local-accounts": rx(r"\blocal accounts?\b", r"\b(?:username|e-?mail) and password\b"),
    },
    stack_names={
        "managed-identity": rx(r"^(?:auth0-python|@auth0/[\w-]+|amazon-cognito-identity-js|@clerk/[\w-]+|firebase-admin)$"),
    },
)

# --- authorization -----------------------------------------------------------------------------

_RICH_RULES = rx(
    r"\battribute[- ]based\b",
    r"\bABAC\b",
    r"\bdelegat\w+",
    r"\bshared with\b",
    r"\bon behalf of\b",
    r"\bhierarch\w+",
    r"\bcross[- ](?:team|tenant|organi[sz]ation)\b",
)
_MUST_NOT_LEAK = rx(
    r"\bwithout access\b",
    r"\b(?:must not|never|cannot|can't|should not) (?:see|view|read|access|expose)\b",
    r"\bnot (?:be )?(?:visible|exposed)\b",
)


def _assess_authorization(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(AUTHORIZATION)
    relations = situation.ids(RELATIONSHIP_RULES)
    fact = f"{subject(ids, 'limits', 'limit')} what people may see or do"
    if relations:
        fact += f", partly by their relation to the record ({join_ids(relations)})"
    a.fact(fact + ".")
    rich = situation.ids(_RICH_RULES)
    if rich:
        a.favour("policy-engine", 2, f"{subject(rich, 'describes', 'describe')} rules (delegation, sharing, hierarchies) a policy engine models directly.")
    if a.cite(situation.cite(*SYSTEM_OF_RECORD_RULE)):
        a.favour("row-level-security", 0.5, pro="The relational system of record the constitution names supports row policies.")
    leaks = situation.hits(_MUST_NOT_LEAK)
    if leaks:
        a.support(leaks[0])
        a.fact(f"{leaks[0].source} forbids leaks explicitly: “{leaks[0].text}”")
        a.at_least(Impact.HIGH)
    pushed = pushed_under_access_rules(situation)
    if pushed or (situation.says(REALTIME) and leaks):
        a.note("Events pushed to browsers and notifications must pass the same rules as page reads.")
        a.favour("app-rbac", 0.5, pro="The same policy module filters pushed events and notifications, which database policies cannot see.")
        a.penalise("row-level-security", 0.5, "Does not cover events and notifications that never touch a query.")
    if situation.says(PERSONAL_DATA):
        a.at_least(Impact.HIGH)


AUTHORIZATION_MODEL = Topic(
    key="authorization-model",
    category=Category.SECURITY,
    prose=PROSE["authorization-model"],
    trigger=when(SERVICE, matches(AUTHORIZATION)),
    assess=_assess_authorization,
    about=rx(AUTHORIZATION.pattern, r"\bpolic(?:y|ies)\b"),
    prior={"app-rbac": 3, "policy-engine": 1, "row-level-security": 1.5},
    reasons={
        "app-rbac": "Roles plus ownership rules in one policy module, applied as query filters, express rules like "
        "these in plain, unit-tested code and scope every list query so nothing leaks through pagination or exports.",
    },
    names={
        "app-rbac": rx(r"\bRBAC\b", r"\brole[- ]based access control\b"),
        "policy-engine": rx(r"\bOPA\b", r"\bOpen Policy Agent\b", r"\bCerbos\b", r"\bOpenFGA\b", r"\bSpiceDB\b"),
        "row-level-security": rx(r"\brow[- ]level security\b", r"\bRLS\b"),
    },
    stack_names={
        "policy-engine": rx(r"^(?:cerbos|openfga-sdk|@openfga/sdk|authzed|oso|casbin|pycasbin)$"),
    },
    depends_on=("authentication", "primary-datastore"),
)

# --- personal data encryption ------------------------------------------------------------------

_SPECIAL_CATEGORIES = rx(
    r"\bhealth\b",
    r"\bmedical\b",
    r"\bsocial security\b",
    r"\bnational (?:id|identity|insurance)\b",
    r"\bpassport\b",
    r"\bbank (?:account|details)\b",
    r"\b(?:card|IBAN) numbers?\b",
    r"\bHIPAA\b",
    r"\bbiometric\w*",
    r"\bspecial categor\w+",
)
_REGULATED = rx(r"\bGDPR\b", r"\bHIPAA\b", r"\bCCPA\b", r"\bPCI[- ]DSS\b")
_ENCRYPTED_AT_REST = (r"encrypt\w*[^.]{0,30}at rest", r"personal data[^.]{0,40}encrypt\w*", r"encrypt\w*[^.]{0,40}personal data")


def _assess_encryption(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(PERSONAL_DATA)
    a.fact(f"{subject(ids, 'puts', 'put')} personal data in the feature's care.")
    special = grounds(situation, a, _SPECIAL_CATEGORIES)
    if special:
        a.favour(
            "field-encryption",
            2,
            f"{subject(special, 'involves', 'involve')} especially sensitive values, which should not be readable by "
            "anyone who can query the database; field-level envelope encryption closes that gap.",
        )
        a.favour("tokenisation-vault", 1)
        a.at_least(Impact.HIGH)
    if situation.says(_REGULATED):
        a.at_least(Impact.HIGH)
    if a.cite(situation.cite(*_ENCRYPTED_AT_REST)):
        a.favour("storage-encryption", 0.5, pro="Meets the constitution's encryption-at-rest rule by configuration.")
        a.favour("field-encryption", 0, pro="Meets the constitution's encryption-at-rest rule and also guards against database-level access.")
    files = [s.source for s in situation.hits(FILES) if s.source in ids or PERSONAL_DATA.search(s.text)]
    if files or (situation.says(FILES) and ids):
        a.note("Uploaded files that hold personal data are covered too: bucket encryption at the least, per-object keys with field-level encryption.")
    erasure = situation.ids(ERASURE)
    if erasure:
        a.favour("field-encryption", 0.5, pro=f"Per-person keys later allow erasure by key deletion ({join_ids(erasure)}).")
    if situation.says(SEARCH):
        a.penalise("field-encryption", 1, "Searching or sorting on encrypted fields needs blind indexes.")


PERSONAL_DATA_ENCRYPTION = Topic(
    key="personal-data-encryption",
    category=Category.SECURITY,
    prose=PROSE["personal-data-encryption"],
    trigger=matches(PERSONAL_DATA),
    assess=_assess_encryption,
    about=rx(r"\bencrypt\w*", r"\bat rest\b", r"\bpersonal data\b", r"\bPII\b"),
    prior={"storage-encryption": 2, "field-encryption": 2, "tokenisation-vault": 0.5},
    reasons={
        "storage-encryption": "Storage-level encryption of the database, backups and buckets protects lost disks and "
        "snapshots by configuration alone and leaves every query as it is.",
    },
    names={
        "storage-encryption": rx(
            r"\b(?:disk|volume|storage|database)[- ]level encryption\b", r"\btransparent data encryption\b", r"\bTDE\b"
        ),
        "field-encryption": rx(
            r"\bfield[- ]level encryption\b",
            r"\bcolumn[- ]level encryption\b",
            r"\bapplication[- ]level encryption\b",
            r"\benvelope encryption\b",
        ),
        "tokenisation-vault": rx(r"\btokeni[sz]ation\b", r"\bdata vault\b"),
    },
)

# --- audit trail -------------------------------------------------------------------------------

_TAMPER = rx(r"\btamper\w*", r"\bimmutable\b", r"\bregulators?\b", r"\bnon-repudiation\b", r"\bforensic\w*", r"\bwrite[- ]once\b")
_REPLAY = rx(r"\breplay\w*", r"\bpoint[- ]in[- ]time\b", r"\bstate (?:at|as of) any (?:time|date|moment)\b", r"\bundo\b", r"\btime[- ]travel\b")


def _assess_audit(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(AUDIT)
    a.fact(f"{subject(ids, 'requires', 'require')} a trail of who changed what and when.")
    tamper = grounds(situation, a, _TAMPER)
    if tamper:
        a.favour(
            "external-audit-log",
            1.5,
            f"{subject(tamper, 'asks', 'ask')} for tamper evidence, which a store outside the application's control provides.",
        )
        a.favour("audit-table", 0, pro="Rows can be hash-chained for tamper evidence.")
        a.at_least(Impact.HIGH)
    kept = longest_retention(situation)
    if kept is not None:
        a.penalise("audit-table", 0, f"Grows for as long as records are kept ({described(kept)}): partition by month.")
    replay = situation.ids(_REPLAY)
    if replay:
        a.favour("event-sourcing", 2, f"{subject(replay, 'needs', 'need')} past states rebuilt, which event sourcing provides by design.")
    if situation.says(ERASURE):
        a.penalise(
            "event-sourcing",
            1,
            f"Erasure requests ({join_ids(situation.ids(ERASURE))}) clash with immutable events unless personal data is crypto-shredded.",
        )
    a.cite(situation.cite(*SYSTEM_OF_RECORD_RULE))


AUDIT_TRAIL = Topic(
    key="audit-trail",
    category=Category.SECURITY,
    prose=PROSE["audit-trail"],
    trigger=matches(AUDIT),
    assess=_assess_audit,
    about=rx(AUDIT.pattern, r"\bhistory\b", r"\baudit\w*"),
    prior={"audit-table": 3, "event-sourcing": 0.5, "external-audit-log": 1},
    reasons={
        "audit-table": "An append-only audit table written in the same transaction makes the trail complete by "
        "construction: a change cannot commit without its audit row.",
    },
    names={
        "audit-table": rx(r"\baudit tables?\b", r"\bhistory tables?\b"),
        "event-sourcing": rx(r"\bevent[- ]sourc\w+"),
        "external-audit-log": rx(r"\bSIEM\b", r"\bSplunk\b", r"\bWORM\b"),
    },
    depends_on=("primary-datastore",),
)

# --- secrets -----------------------------------------------------------------------------------

_ROTATION = rx(r"\brotat\w+", r"\bexpir\w+", r"\bshort-lived credentials\b")
_OUTBOUND = rx(EXTERNAL_TARGET, r"\bto (?:call|reach|access|connect to)\b", r"\bcalling\b", r"\bintegrat\w+", r"\bwebhook secrets?\b", r"\bsigning keys?\b")


def _outbound_secrets(situation: Situation) -> list[Evidence]:
    """Credentials the feature itself holds to call other systems."""
    return [s.evidence() for s in situation.hits(SECRETS) if _OUTBOUND.search(s.text)]


def _assess_secrets(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(SECRETS)
    a.fact(f"{subject(ids, 'involves', 'involve')} credentials for calling other systems.")
    if situation.says(_ROTATION):
        a.favour("cloud-secrets-manager", 1)
        a.favour("vault", 1)
        a.penalise("platform-environment", 1, "Rotation means a redeploy.")
    if situation.leaning("deployment-platform") in ("paas", "serverless"):
        a.favour("platform-environment", 0.5)


SECRETS_MANAGEMENT = Topic(
    key="secrets-management",
    category=Category.SECURITY,
    prose=PROSE["secrets-management"],
    trigger=_outbound_secrets,
    assess=_assess_secrets,
    impact=Impact.MEDIUM,
    about=rx(r"\bsecrets?\b", r"\bcredentials?\b", r"\bkeys?\b", r"\bcertificates?\b"),
    prior={"cloud-secrets-manager": 2, "vault": 1.5, "platform-environment": 1.5},
    reasons={
        "cloud-secrets-manager": "A managed secrets service keeps credentials out of the repository, audited and "
        "rotatable without running anything.",
    },
    names={
        "cloud-secrets-manager": rx(r"\bSecrets? Manager\b", r"\bKey Vault\b", r"\bParameter Store\b"),
        "vault": rx(r"\bvault\b"),
        "platform-environment": rx(r"\benvironment variables?\b", r"\benv vars?\b"),
    },
    stack_names={
        "vault": rx(r"^(?:hvac|node-vault)$"),
        "cloud-secrets-manager": rx(
            r"^(?:@aws-sdk/client-secrets-manager|google-cloud-secret-manager|azure-keyvault-secrets)$"
        ),
    },
)

# --- machine clients ---------------------------------------------------------------------------

_MANY_CLIENTS = rx(r"\bpartners\b", r"\bthird[- ]party (?:developers|apps|clients)\b", r"\bintegrators\b", r"\bscopes?\b")
_STRONG_IDENTITY = rx(r"\bmutual TLS\b|\bmTLS\b", r"\bcertificates?\b", r"\bregulat\w+", r"\bbank\w*", r"\bPSD2\b")


def _assess_clients(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(MACHINE_CREDENTIALS)
    a.fact(f"{subject(ids, 'has', 'have')} programs, not people, calling the API.")
    many = situation.ids(_MANY_CLIENTS)
    if many:
        a.favour(
            "oauth-client-credentials",
            1,
            f"{subject(many, 'brings', 'bring')} many outside clients, where short-lived scoped tokens limit the damage of a leak.",
        )
    strong = situation.ids(_STRONG_IDENTITY)
    if strong:
        a.favour("mutual-tls", 2, f"{subject(strong, 'calls', 'call')} for strong proof of the caller's identity.")
    if situation.says(PERSONAL_DATA):
        a.at_least(Impact.HIGH)


CLIENT_CREDENTIALS = Topic(
    key="client-credentials",
    category=Category.SECURITY,
    prose=PROSE["client-credentials"],
    trigger=when(matches(CLIENT_API), matches(MACHINE_CREDENTIALS)),
    assess=_assess_clients,
    impact=Impact.MEDIUM,
    about=rx(r"\bauthenticat\w*", r"\bcredentials?\b", r"\bkeys?\b", r"\btokens?\b", r"\bcertificates?\b"),
    prior={"api-keys": 2, "oauth-client-credentials": 1.5, "mutual-tls": 0.5},
    reasons={
        "api-keys": "Hashed, scoped API keys per client are the simplest thing partners can use from any tool, and "
        "each key can be rotated or revoked on its own.",
    },
    names={
        "api-keys": rx(r"\bAPI keys?\b"),
        "oauth-client-credentials": rx(r"\bOAuth ?2?(?:\.0)? client[- ]credentials\b", r"\bclient[- ]credentials (?:flow|grant|tokens?)\b"),
        "mutual-tls": rx(r"\bmutual TLS\b", r"\bmTLS\b", r"\bclient certificates?\b"),
    },
)

# --- rate limiting -----------------------------------------------------------------------------

_PER_PRINCIPAL = rx(r"\bper (?:user|account|tenant|customer|operation|API key|client)\b")
_ANONYMOUS = rx(r"\b(?:public|anonymous|unauthenticated)\b")


def _assess_rate_limits(situation: Situation, a: Assessment) -> None:
    ids = situation.ids(ABUSE)
    a.fact(f"{subject(ids, 'calls', 'call')} for limits on how fast clients may call the service.")
    per = situation.ids(_PER_PRINCIPAL)
    if per:
        a.favour("shared-counter", 1.5, f"{subject(per, 'limits', 'limit')} per user or operation, which only the application knows.")
    favour_running(situation, a, REDIS, "shared-counter", 1)
    if situation.says(_ANONYMOUS):
        a.at_least(Impact.HIGH)


RATE_LIMITING = Topic(
    key="rate-limiting",
    category=Category.SECURITY,
    prose=PROSE["rate-limiting"],
    trigger=when(SERVICE, matches(ABUSE)),
    assess=_assess_rate_limits,
    about=rx(ABUSE.pattern, r"\blimits?\b"),
    prior={"gateway-limits": 2, "shared-counter": 2, "in-process-limits": 1},
    reasons={"gateway-limits": "Limits at the gateway stop floods before they reach the application, with no code."},
    names={
        "gateway-limits": rx(r"\bAPI gateway\b", r"\bWAF\b", r"\bingress\b"),
        "shared-counter": rx(r"\bRedis\b"),
        "in-process-limits": rx(r"\bin-memory (?:rate )?limit\w*"),
    },
    depends_on=("horizontal-scaling",),
)

TOPICS: tuple[Topic, ...] = (
    AUTHENTICATION_TOPIC,
    AUTHORIZATION_MODEL,
    PERSONAL_DATA_ENCRYPTION,
    AUDIT_TRAIL,
    SECRETS_MANAGEMENT,
    CLIENT_CREDENTIALS,
    RATE_LIMITING,
)
