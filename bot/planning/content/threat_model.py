"""A STRIDE threat model generated from the feature's data and interfaces.

Threats come from what the plan holds: entities with personal data, files, money and state
machines; the audit requirement; each contract kind and its operation groups; realtime channels;
the external systems the spec names; notification channels; and the supply chain. Each threat
names its asset, attack vector, STRIDE category, likelihood and impact, the mitigation (from the
decisions in force where one applies), the test that proves the mitigation, the signal to monitor,
and the FR/entity/operation ids it comes from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from enum import StrEnum

from pydantic import BaseModel, Field

from bot.planning.contracts import InterfaceKind, Operation
from bot.planning.datamodel import EntityModel
from bot.planning.decisions import Category, TechnicalDecision
from bot.planning.content.hot_queries import is_http_operation, is_list_operation
from bot.planning.content.integrations import ExternalSystem, external_systems
from bot.planning.plan import Plan
from bot.planning.risks import LEVEL_RANK, Level
from bot.planning.spec import MetricKind
from bot.planning.content.technologies import FoundTechnology, TechKind, of_kind, technologies_in_force


class Stride(StrEnum):
    SPOOFING = "Spoofing"
    TAMPERING = "Tampering"
    REPUDIATION = "Repudiation"
    INFORMATION_DISCLOSURE = "Information disclosure"
    DENIAL_OF_SERVICE = "Denial of service"
    ELEVATION_OF_PRIVILEGE = "Elevation of privilege"


class Surface(StrEnum):
    """Where a threat comes from; tests and reports group by it."""

    WEB_SESSION = "web session"
    HTTP_API = "HTTP API"
    DATA = "personal data"
    FILES = "files"
    MONEY = "money"
    WORKFLOW = "workflow"
    AUDIT = "audit"
    REALTIME = "realtime"
    INTEGRATION = "integration"
    NOTIFICATION = "notification"
    CLI = "command line"
    LIBRARY = "library API"
    SUPPLY_CHAIN = "supply chain"


class Threat(BaseModel):
    id: str  # "TH01"
    title: str
    surface: Surface
    stride: Stride
    asset: str
    vector: str
    likelihood: Level
    impact: Level
    mitigation: str
    test: str  # the security test that proves the mitigation holds
    signal: str | None = None  # what monitoring watches for; None for a tool with nothing running to watch
    sources: list[str] = Field(default_factory=list)  # FR ids, entity names, operation ids, TD ids

    @property
    def severity(self) -> int:
        """0 for the most severe; threats are listed in this order."""
        return LEVEL_RANK[self.impact] * 3 + LEVEL_RANK[self.likelihood]


class ThreatModel(BaseModel):
    threats: list[Threat] = Field(default_factory=list)
    browser_sessions: bool = False  # a browser front end holds sessions: CSRF/XSS/session threats apply
    access_rules: list[tuple[str, str]] = Field(default_factory=list)  # (id, statement) scoping who sees what
    auth_statements: list[tuple[str, str]] = Field(default_factory=list)  # (id, statement) on authentication
    security_decisions: list[TechnicalDecision] = Field(default_factory=list)
    sign_in_decisions: list[TechnicalDecision] = Field(default_factory=list)  # how people authenticate
    access_decisions: list[TechnicalDecision] = Field(default_factory=list)  # who may see and do what

    def by_surface(self, surface: Surface) -> list[Threat]:
        return [t for t in self.threats if t.surface is surface]

    def stride_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Stride}
        for threat in self.threats:
            counts[threat.stride.value] += 1
        return counts


_ACCESS = re.compile(
    r"\bonly\b|\btheir (?:own|direct|team)\b|\bwithout access\b|\bmust not (?:see|expose|access|read|show)\b|"
    r"\bpermission|\brole\b|\broles\b|\bauthori[sz]|\bvisible to\b|\baccess to\b",
    re.IGNORECASE,
)
# Words that say a statement or a decision is about signing people in.
AUTH_WORDS = re.compile(
    r"authenticat|sign[- ]on|\bsso\b|\boidc\b|\blog ?in\b|\bsaml\b|\boauth|password|\bmfa\b|two-factor|\bapi keys?\b",
    re.IGNORECASE,
)
_FILE_WORDS = re.compile(r"\bupload|\battach|\bfile|\bimage|\bphoto|\bpdf\b|\bdocument", re.IGNORECASE)
_AUDIT = re.compile(r"\baudit|\bhistory of\b|who, when", re.IGNORECASE)
_REALTIME = re.compile(r"real[- ]?time|without reload\w*|\blive (?:status|updates?|view)|\bpush(?:ed|es)? to\b", re.IGNORECASE)
_WEBHOOK_IN = re.compile(r"\b(?:receive|incoming|inbound|callback)\w*\b.*\bweb ?hooks?\b|\bweb ?hooks? from\b", re.IGNORECASE)
_ENCRYPT = re.compile(r"encrypt", re.IGNORECASE)
_ACCESS_DECISION = re.compile(r"authori[sz]|access|permission|\broles?\b|who may|ownership|rbac|abac|polic", re.IGNORECASE)
_FIELD_LEVEL = re.compile(r"field|column|application[- ]level|envelope|crypto-?shred|per-person key", re.IGNORECASE)
_MONEY_TYPES = {"money", "currency"}
_WRITE_METHODS = {"post", "put", "patch", "delete"}


def _statements_matching(plan: Plan, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for source, text in plan.context.spec.statements():
        if pattern.search(text) and text not in seen:
            seen.add(text)
            out.append((source, text))
    return out


def _ids(pairs: list[tuple[str, str]]) -> list[str]:
    return list(dict.fromkeys(source for source, _ in pairs))


def personal_values(entity: EntityModel) -> list[str]:
    """The fields of an entity that hold a person's data themselves (not ids that point to a person)."""
    return [
        f.name for f in entity.fields
        if f.personal_data and not f.primary_key and not f.references and f.type not in ("reference", "uuid")
    ]


def _group(operation: Operation) -> str:
    if operation.entity:
        return operation.entity
    segment = next((p for p in operation.path.split("/") if p and not p.startswith("{")), "root")
    return segment


def _about(td: TechnicalDecision) -> str:
    """The words that say what a decision is about: its topic, its title and the option in force."""
    return f"{td.topic} {td.title} {td.effective.title}"


def _provisional_mark(td: TechnicalDecision) -> str:
    return " (PROVISIONAL DECISION)" if td.provisional else ""


def _choice(tds: list[TechnicalDecision]) -> str:
    return "; ".join(f"{td.id} chose {td.effective.title}{_provisional_mark(td)}" for td in tds)


class _Builder:
    def __init__(self, plan: Plan, found: list[FoundTechnology]) -> None:
        self.plan = plan
        self.threats: list[Threat] = []
        self.found = found
        self.kinds = set(plan.contracts.kinds)
        self.http_ops = [op for op in plan.contracts.operations if is_http_operation(op)]
        self.security = [td for td in plan.analysis.decisions if td.category is Category.SECURITY]
        self.sign_in = [td for td in self.security if AUTH_WORDS.search(_about(td))]
        self.encryption = next((td for td in plan.analysis.decisions if _ENCRYPT.search(_about(td))), None)
        self.identity = of_kind(self.found, TechKind.IDENTITY)
        self.secrets = of_kind(self.found, TechKind.SECRETS)
        self.access = _statements_matching(plan, _ACCESS)
        self.auth = _statements_matching(plan, AUTH_WORDS)
        self.personal = [e for e in plan.data_model.entities if e.personal_data or any(f.personal_data for f in e.fields)]
        self.concurrency = plan.context.spec.metrics_of(MetricKind.CONCURRENCY)
        layout = plan.layout
        self.browser = InterfaceKind.HTTP in self.kinds and (
            layout.frontend_dir is not None or "web application" in layout.project_type.lower()
        )

    def add(
        self, *, title: str, surface: Surface, stride: Stride, asset: str, vector: str, likelihood: Level,
        impact: Level, mitigation: str, test: str, signal: str | None, sources: list[str],
    ) -> None:
        self.threats.append(Threat(
            id="", title=title, surface=surface, stride=stride, asset=asset, vector=vector, likelihood=likelihood,
            impact=impact, mitigation=mitigation, test=test, signal=signal,
            sources=list(dict.fromkeys(s for s in sources if s)),
        ))

    # --- helpers shared by several threats -------------------------------------------------------
    def identity_words(self) -> str:
        if self.identity:
            names = ", ".join(f.name for f in self.identity)
            return f"validate every token issued by the {names} provider (signature, issuer, audience, expiry)"
        return "authenticate every request with the scheme the security decision sets (no anonymous endpoints)"

    def secret_store(self) -> str:
        if self.secrets:
            return f"kept in the {self.secrets[0].name.lower()} ({', '.join(self.secrets[0].sources)})"
        return "kept in the deployment's secret store, never in the repository or images"

    def peak_users(self) -> str | None:
        """The spec's highest concurrency figure, written out (`1,200`); None when it states none."""
        return f"{int(max(m.value for m in self.concurrency)):,}" if self.concurrency else None

    def access_rule_words(self) -> str:
        if self.access:
            return "enforce the access rules the spec states in " + ", ".join(_ids(self.access))
        return "check that the caller owns or may act on the resource"

    def at_rest_words(self, fields: list[str], rules: list[str]) -> str:
        """How personal values are protected at rest: as the encryption decision chose, else field-level."""
        required = f" as {', '.join(rules)} requires" if rules else ""
        td = self.encryption
        if td is not None:
            chose = f"as {td.id} chose{_provisional_mark(td)}"
            if not _FIELD_LEVEL.search(f"{td.effective.title} {td.effective.summary}"):
                return f"storage-level encryption at rest{required}, {chose}"
            what = f" of {', '.join(fields)}" if fields else ""
            return f"field-level encryption{what}{required}, {chose}"
        if fields:
            return f"field-level encryption of {', '.join(fields)}{required}"
        return f"encryption at rest{required}"

    # --- generators ------------------------------------------------------------------------------
    def web(self) -> None:
        if InterfaceKind.HTTP not in self.kinds:
            return
        auth_ids = _ids(self.auth) + [td.id for td in self.sign_in]
        decided = f" ({_choice(self.sign_in)})" if self.sign_in else ""
        self.add(
            title="Forged or replayed credentials",
            surface=Surface.HTTP_API,
            stride=Stride.SPOOFING,
            asset="user identities and sessions",
            vector="stolen, forged or expired tokens replayed against the API",
            likelihood="Medium",
            impact="High",
            mitigation=f"{self.identity_words()}{decided}; short token lifetimes; TLS only",
            test=(
                "call every operation with no token, an expired token, a token for another audience and a "
                "tampered signature: each gets 401"
            ),
            signal="spikes of 401 responses per client or IP",
            sources=auth_ids,
        )
        groups: dict[str, list[Operation]] = defaultdict(list)
        for operation in self.http_ops:
            groups[_group(operation)].append(operation)
        for name, operations in groups.items():
            by_id = [op for op in operations if "{" in op.path]
            if by_id:
                self.add(
                    title=f"Access to another user's {name} by id",
                    surface=Surface.HTTP_API,
                    stride=Stride.ELEVATION_OF_PRIVILEGE,
                    asset=f"{name} records",
                    vector=(
                        f"changing the id in {', '.join(sorted({op.path for op in by_id}))} to reach records "
                        "the caller may not see (broken object-level authorisation)"
                    ),
                    likelihood="High",
                    impact="High" if self._entity_is_personal(name) else "Medium",
                    mitigation=(
                        "authorise each request against the record, not just the route: "
                        f"{self.access_rule_words()}; unknown and forbidden ids both answer 404"
                    ),
                    test=(
                        f"as a second user, call {', '.join(op.operation_id for op in by_id)} with the first "
                        "user's ids: each is refused"
                    ),
                    signal="403/404 bursts on id-addressed routes from one caller",
                    sources=[op.operation_id for op in by_id] + _ids(self.access) + [r for op in by_id for r in op.requirements],
                )
            writes = [op for op in operations if op.method.lower() in _WRITE_METHODS]
            if writes:
                self.add(
                    title=f"Tampered {name} input",
                    surface=Surface.HTTP_API,
                    stride=Stride.TAMPERING,
                    asset=f"{name} integrity",
                    vector=(
                        "extra or malformed fields in request bodies (mass assignment, type confusion, "
                        "oversize payloads)"
                    ),
                    likelihood="Medium",
                    impact="Medium",
                    mitigation=(
                        "validate bodies against the contract schemas with unknown fields rejected; "
                        "server-set fields (ids, status, owner, timestamps) never read from the client"
                    ),
                    test=(
                        f"send {', '.join(op.operation_id for op in writes)} with unknown fields, wrong types "
                        "and server-owned fields: 400/422 and nothing stored"
                    ),
                    signal="rate of 4xx validation errors per operation",
                    sources=[op.operation_id for op in writes] + [r for op in writes for r in op.requirements],
                )
        peak = self.peak_users()
        load = f" sized for {peak} concurrent users" if peak else ""
        lists = [op.operation_id for op in self.http_ops if is_list_operation(op)]
        self.add(
            title="Request flooding and unbounded queries",
            surface=Surface.HTTP_API,
            stride=Stride.DENIAL_OF_SERVICE,
            asset="API availability",
            vector="floods of requests, or list queries without limits",
            likelihood="Medium",
            impact="Medium",
            mitigation=(
                f"rate limits per user and per IP at the edge{load}; every list paginated with a maximum "
                "page size; request body size limits; timeouts on every outbound call"
            ),
            test="exceed the rate limit and ask for an oversized page: 429 and a capped page",
            signal="429 rate, saturation of worker pools and database connections",
            sources=lists + [m.source for m in self.concurrency if m.source],
        )
        if self.browser:
            self.add(
                title="Cross-site request forgery",
                surface=Surface.WEB_SESSION,
                stride=Stride.ELEVATION_OF_PRIVILEGE,
                asset="the signed-in user's session",
                vector="a page on another site submits a request with the user's cookies",
                likelihood="Medium",
                impact="High" if self.personal else "Medium",
                mitigation=(
                    "SameSite=Lax (or Strict) cookies, an anti-CSRF token or a custom header checked on "
                    "every state-changing request, Origin checked"
                ),
                test="replay a state-changing request from another origin without the token: refused",
                signal="requests refused for a missing or wrong CSRF token",
                sources=[op.operation_id for op in self.http_ops if op.method.lower() in _WRITE_METHODS][:6],
            )
            self.add(
                title="Script injection in displayed content",
                surface=Surface.WEB_SESSION,
                stride=Stride.TAMPERING,
                asset="the front end and the user's session",
                vector="user-entered text rendered as HTML (stored XSS)",
                likelihood="Medium",
                impact="High",
                mitigation=(
                    "output encoding by the template/UI framework, no raw HTML from users, a "
                    "Content-Security-Policy without unsafe-inline, HttpOnly Secure cookies"
                ),
                test=(
                    "store <script> and event-handler payloads in every free-text field and view them: "
                    "rendered inert"
                ),
                signal="CSP violation reports",
                sources=[e.name for e in self.plan.data_model.entities if any(f.type in ("string", "text") for f in e.fields)][:6],
            )
            self.add(
                title="Session hijacking or fixation",
                surface=Surface.WEB_SESSION,
                stride=Stride.SPOOFING,
                asset="the signed-in user's session",
                vector="a session id stolen from logs or fixed before sign-in",
                likelihood="Low",
                impact="High",
                mitigation=(
                    "new session id at sign-in, HttpOnly Secure cookies, idle and absolute timeouts, "
                    "sign-out revokes the session server-side"
                ),
                test="reuse a pre-login session id after sign-in and a session after sign-out: both refused",
                signal="one session used from several networks at once",
                sources=_ids(self.auth),
            )

    def _entity_is_personal(self, name: str) -> bool:
        return any(e.name == name for e in self.personal)

    def personal_data(self) -> None:
        constitution = self.plan.context.constitution
        encrypt_rules = [label for label, text in (constitution.rules() if constitution else []) if _ENCRYPT.search(text)]
        for entity in self.personal:
            values = personal_values(entity)
            linked = not values
            asset = f"{entity.name}: {', '.join(values)}" if values else f"{entity.name} records linked to a person"
            self.add(
                title=f"Disclosure of {entity.name} personal data",
                surface=Surface.DATA,
                stride=Stride.INFORMATION_DISCLOSURE,
                asset=asset,
                vector=(
                    "over-broad API responses, database dumps and backups, logs and traces that carry the "
                    "values"
                ),
                likelihood="Medium",
                impact="Medium" if linked else "High",
                mitigation=(
                    f"{self.at_rest_words(values, encrypt_rules)}; responses return only the fields the "
                    "caller needs; values redacted from logs and traces; backups encrypted"
                ),
                test=f"grep logs and traces of a full test run for {entity.name} fixture values: none found"
                      + ("" if linked else f"; read {entity.table} rows and a backup directly: "
                                           "the personal values are not in clear text"),
                signal=f"bulk reads of {entity.table} beyond the usual per-user volume",
                sources=[entity.name, *entity.requirements, *encrypt_rules, *([self.encryption.id] if self.encryption else [])],
            )

    def files(self) -> None:
        file_entities = [e for e in self.plan.data_model.entities if any(f.type == "file" for f in e.fields)]
        storage = of_kind(self.found, TechKind.OBJECT_STORAGE)
        file_reqs = [r for r in self.plan.context.spec.requirements if _FILE_WORDS.search(r.text)]
        if not file_entities and not storage:
            return
        sizes = [m for r in file_reqs for m in r.metrics if m.kind is MetricKind.SIZE]
        limit = (f"the spec's size limit ({sizes[0].text}{', ' + sizes[0].source if sizes[0].source else ''})"
                 if sizes else "a size limit agreed with the business")
        sources = [e.name for e in file_entities] + [r.id for r in file_reqs] + [d for f in storage for d in f.decisions]
        self.add(
            title="Malicious or disguised upload",
            surface=Surface.FILES,
            stride=Stride.TAMPERING,
            asset="stored files and the people who open them",
            vector="a file whose content does not match its declared type (script, polyglot, macro document)",
            likelihood="Medium",
            impact="Medium",
            mitigation=(
                "check the content type from the bytes, not the name or header; allow-list the types the "
                "spec names; malware scan before the file is shown; serve downloads with "
                "Content-Disposition: attachment"
            ),
            test=(
                "upload a script renamed with an allowed extension and a file with a forged content type: both "
                "refused"
            ),
            signal="refused uploads per user",
            sources=sources,
        )
        self.add(
            title="Oversized uploads exhaust storage or workers",
            surface=Surface.FILES,
            stride=Stride.DENIAL_OF_SERVICE,
            asset="storage and request workers",
            vector="many or very large uploads",
            likelihood="Medium",
            impact="Medium",
            mitigation=(
                f"{limit} enforced before the body is read fully; uploads streamed to storage, never held "
                "in memory; per-user upload quotas"
            ),
            test="upload one byte over the limit: refused without the file reaching storage",
            signal="upload volume per user and storage growth per day",
            sources=[m.source for m in sizes if m.source] + sources,
        )
        self.add(
            title="Stored files readable by anyone with the link",
            surface=Surface.FILES,
            stride=Stride.INFORMATION_DISCLOSURE,
            asset="stored files",
            vector="a public bucket, guessable object keys or long-lived download links",
            likelihood="Medium",
            impact="High" if self.personal else "Medium",
            mitigation=(
                "private bucket, random object keys, short-lived signed download URLs issued only after "
                "the authorisation check, encryption at rest"
            ),
            test="fetch an object without a signed URL and with an expired one: both refused",
            signal="access-denied responses from the storage service",
            sources=sources,
        )

    def money(self) -> None:
        for entity in self.plan.data_model.entities:
            money = [f.name for f in entity.fields if f.type in _MONEY_TYPES]
            if not money:
                continue
            machine = entity.state_machine
            frozen = f" once {entity.name} leaves {machine.initial}" if machine else " once they are confirmed"
            self.add(
                title=f"Altered amounts in {entity.name}",
                surface=Surface.MONEY,
                stride=Stride.TAMPERING,
                asset=f"{entity.name}: {', '.join(money)}",
                vector="changing an amount or currency after it was checked, or rounding errors from binary floats",
                likelihood="Low",
                impact="High",
                mitigation=(
                    f"amounts immutable{frozen}; exact decimal arithmetic with the currency's minor "
                    "units; every change recorded with who and when"
                ),
                test=(
                    f"try to change {', '.join(money)} after the first transition: refused; sums of decimals "
                    "match the expected cents exactly"
                ),
                signal="updates to amount columns outside the draft state",
                sources=[entity.name, *entity.requirements],
            )

    def workflow(self) -> None:
        for entity in self.plan.data_model.entities:
            machine = entity.state_machine
            if machine is None or not machine.transitions:
                continue
            moves = ", ".join(f"{t.source}→{t.target}" for t in machine.transitions[:6])
            self.add(
                title=f"Forced or conflicting {entity.name} transitions",
                surface=Surface.WORKFLOW,
                stride=Stride.ELEVATION_OF_PRIVILEGE,
                asset=f"the {entity.name} workflow ({machine.field})",
                vector=(
                    "skipping a state, acting on one's own record, or two people acting on the same record "
                    "at once"
                ),
                likelihood="Medium",
                impact="High" if any(f.type in _MONEY_TYPES for f in entity.fields) else "Medium",
                mitigation=(
                    f"only the transitions {moves} are allowed, each by the role its trigger names; the "
                    "check and the update happen in one conditional write (optimistic locking), the "
                    "loser gets 409"
                ),
                test=(
                    "attempt every transition not in the state machine, and two concurrent transitions on one "
                    f"{entity.name}: refused and exactly one succeeds"
                ),
                signal="409 conflicts and refused transitions per user",
                sources=[entity.name, *entity.requirements],
            )

    def audit(self) -> None:
        audited = _statements_matching(self.plan, _AUDIT)
        stateful = [e.name for e in self.plan.data_model.entities if e.state_machine]
        if not audited and not stateful:
            return
        if audited:
            mitigation = (
                "an append-only audit table written in the same transaction as the change; the application's "
                "database role cannot update or delete it; retention as the spec sets"
            )
        else:
            mitigation = (
                "record who, when and what for each state change "
                "(the spec asks for no audit trail: agree whether one is needed)"
            )
        self.add(
            title="Actions that cannot be traced to a person",
            surface=Surface.AUDIT,
            stride=Stride.REPUDIATION,
            asset="the record of who did what",
            vector="a user denies an action, or an operator edits history",
            likelihood="Low" if audited else "Medium",
            impact="High" if audited else "Medium",
            mitigation=mitigation,
            test=(
                "perform each state change and check one audit row with actor, time and before/after; an "
                "UPDATE on the audit table by the app role fails"
            ),
            signal="audit writes missing for a state change (count of changes vs audit rows)",
            sources=_ids(audited) + stateful,
        )

    def realtime(self) -> None:
        if InterfaceKind.EVENTS not in self.kinds:
            return
        channels = sorted({e.channel for e in self.plan.contracts.events if e.channel}) or ["the event channel"]
        event_reqs = [r for e in self.plan.contracts.events for r in e.requirements] + _ids(_statements_matching(self.plan, _REALTIME))
        transports = of_kind(self.found, TechKind.REALTIME)
        self.add(
            title="Events delivered to people who may not see them",
            surface=Surface.REALTIME,
            stride=Stride.INFORMATION_DISCLOSURE,
            asset=f"event payloads on {', '.join(channels)}",
            vector="subscribing to another user's channel or topic, or a broadcast that reaches every connection",
            likelihood="Medium",
            impact="High" if self.personal else "Medium",
            mitigation=(
                "authenticate the connection and authorise each subscription with the same rules as the "
                f"API ({self.access_rule_words()}); payloads carry ids and status, not content"
            ),
            test=(
                "connect as a user without access and trigger an event for a resource they cannot read: "
                "nothing arrives"
            ),
            signal="subscription refusals per user",
            sources=[e.name for e in self.plan.contracts.events] + event_reqs + [d for t in transports for d in t.decisions],
        )
        peak = self.peak_users()
        open_conns = f"{peak} open connections as the spec expects" if peak else "the agreed peak of open connections"
        self.add(
            title="Connection exhaustion",
            surface=Surface.REALTIME,
            stride=Stride.DENIAL_OF_SERVICE,
            asset="the realtime endpoint",
            vector="opening many idle connections or reconnecting in a tight loop",
            likelihood="Medium",
            impact="Medium",
            mitigation=(
                f"capacity for {open_conns}; a per-user connection cap; reconnect with jittered backoff; "
                "idle connections closed after the heartbeat window"
            ),
            test="open connections past the per-user cap and reconnect in a loop: refused and throttled",
            signal="open connections per instance and per user",
            sources=[m.source for m in self.concurrency if m.source] + [d for t in transports for d in t.decisions],
        )
        if any(t.key == "websocket" for t in transports):
            self.add(
                title="Cross-site WebSocket hijacking",
                surface=Surface.REALTIME,
                stride=Stride.SPOOFING,
                asset="the user's realtime session",
                vector="a page on another origin opens a WebSocket with the user's cookies",
                likelihood="Medium",
                impact="Medium",
                mitigation="check the Origin header on the upgrade and authenticate with a token, not only cookies",
                test="open the socket with a foreign Origin: refused",
                signal="upgrade refusals for a foreign Origin",
                sources=[d for t in transports if t.key == "websocket" for d in t.decisions],
            )

    def integrations(self) -> None:
        systems = external_systems(self.plan)
        for system in systems:
            self._integration(system)
        channels = of_kind(self.found, TechKind.EMAIL, TechKind.CHAT)
        if channels:
            self.add(
                title="Notifications that leak content",
                surface=Surface.NOTIFICATION,
                stride=Stride.INFORMATION_DISCLOSURE,
                asset="what notifications carry",
                vector=(
                    f"messages through {', '.join(c.name for c in channels)} forwarded, shared or sent to the "
                    "wrong person"
                ),
                likelihood="Medium",
                impact="High" if self.personal else "Low",
                mitigation=(
                    "notifications carry a short summary and a link that requires sign-in, never the "
                    "record's personal or financial details; recipients resolved at send time"
                ),
                test=(
                    "render each notification for a fixture with personal data: none of its personal field "
                    "values appear"
                ),
                signal="bounces and delivery failures per channel",
                sources=[s for c in channels for s in c.sources],
            )

    def _integration(self, system: ExternalSystem) -> None:
        decisions = [self.plan.analysis.decision(i) for i in system.decisions]
        chosen = f" ({_choice(decisions)})" if decisions else ""
        sources = [*system.sources, *system.decisions]
        self.add(
            title=f"Leaked credentials for the {system.name}",
            surface=Surface.INTEGRATION,
            stride=Stride.SPOOFING,
            asset=f"the credentials the feature uses with the {system.label}",
            vector=(
                "secrets committed, logged or shared between environments, then used to call the system as "
                "the feature"
            ),
            likelihood="Low",
            impact="High",
            mitigation=(
                f"credentials {self.secret_store()}, scoped to the least the feature needs, rotated; one "
                "set per environment"
            ),
            test="scan the repository and the built image for secrets; check logs of an integration run for tokens",
            signal=f"calls to the {system.name} from unexpected hosts or outside the usual schedule",
            sources=sources,
        )
        if system.outbound:
            found_patterns = {f.key for f in of_kind(self.found, TechKind.PATTERN)}
            if found_patterns & {"outbox", "idempotency"}:
                how = (
                    "an idempotency key per record sent, the send recorded in the same transaction as the change "
                    "(outbox), retries that reuse the key"
                )
            else:
                how = "an idempotency key per record sent and a stored send status, so a retry never sends twice"
            self.add(
                title=f"Duplicated or lost exchanges with the {system.name}",
                surface=Surface.INTEGRATION,
                stride=Stride.TAMPERING,
                asset=f"data sent to the {system.label}",
                vector="retries after a timeout or a crash mid-exchange, or a tampered response",
                likelihood="Medium",
                impact="Medium",
                mitigation=(
                    f"{how}{chosen}; responses validated against the integration contract; TLS with "
                    "certificate verification"
                ),
                test=(
                    f"make the {system.name} fake fail mid-exchange and time out after accepting: after "
                    "recovery every record is sent exactly once"
                ),
                signal=f"failed and retried calls to the {system.name}, records stuck unsent",
                sources=sources,
            )
        elif system.identity:
            self.add(
                title=f"Tokens from the {system.name} accepted without full validation",
                surface=Surface.INTEGRATION,
                stride=Stride.SPOOFING,
                asset="sign-in",
                vector="tokens for another client, expired tokens, or an unsigned ID token accepted",
                likelihood="Low",
                impact="High",
                mitigation=(
                    "the authorisation-code flow with PKCE; issuer, audience, expiry and signature "
                    f"checked against the provider's published keys{chosen}"
                ),
                test="sign in with a token minted for another client and with an expired token: both refused",
                signal="sign-in failures by reason",
                sources=sources,
            )
        else:
            self.add(
                title=f"The {system.name} unavailable or answering wrongly",
                surface=Surface.INTEGRATION,
                stride=Stride.DENIAL_OF_SERVICE,
                asset=f"features that read from the {system.label}",
                vector="an outage, a slow response, or malformed data from the system",
                likelihood="Medium",
                impact="Medium",
                mitigation=(
                    "timeouts and a circuit breaker on every call; responses validated before use; a "
                    f"clear fallback when it is down{chosen}"
                ),
                test=(
                    f"make the {system.name} fake time out and return malformed data: the feature degrades as "
                    "planned and nothing invalid is stored"
                ),
                signal=f"error rate and latency of calls to the {system.name}",
                sources=sources,
            )
        if any(_WEBHOOK_IN.search(q) for q in system.quotes + system.details):
            self.add(
                title=f"Forged callbacks from the {system.name}",
                surface=Surface.INTEGRATION,
                stride=Stride.SPOOFING,
                asset="inbound callbacks",
                vector="anyone posting to the callback URL",
                likelihood="Medium",
                impact="Medium",
                mitigation=(
                    "verify the sender's signature over the raw body with a shared secret, reject stale "
                    "timestamps, de-duplicate by delivery id"
                ),
                test="post an unsigned, a wrongly signed and a replayed callback: all refused",
                signal="signature failures on the callback endpoint",
                sources=list(system.sources),
            )

    def command_line(self) -> None:
        if InterfaceKind.CLI not in self.kinds:
            return
        self.add(
            title="Paths that escape the working directory",
            surface=Surface.CLI,
            stride=Stride.TAMPERING,
            asset="files on the user's machine",
            vector="arguments or input files naming ../ paths, absolute paths or symlinks",
            likelihood="Low",
            impact="Medium",
            mitigation=(
                "resolve every path and refuse those outside the directory the command works in; never "
                "follow symlinks out of it; write through a temporary file and rename"
            ),
            test=(
                "run the command with ../, absolute and symlinked paths: refused with a clear message and "
                "nothing written"
            ),
            signal=None,
            sources=[],
        )
        self.add(
            title="Secrets exposed through arguments or output",
            surface=Surface.CLI,
            stride=Stride.INFORMATION_DISCLOSURE,
            asset="tokens and passwords the command uses",
            vector="secrets passed as arguments (visible in process lists and shell history) or printed in errors",
            likelihood="Low",
            impact="Medium",
            mitigation=(
                "read secrets from environment variables or a credentials file with 0600 permissions; "
                "redact them in errors and verbose output"
            ),
            test="run with --verbose and a failing call: the secret appears nowhere in stdout or stderr",
            signal=None,
            sources=[],
        )
        self.add(
            title="Input that exhausts memory or time",
            surface=Surface.CLI,
            stride=Stride.DENIAL_OF_SERVICE,
            asset="the user's machine and CI runners",
            vector="very large or deeply nested input",
            likelihood="Low",
            impact="Low",
            mitigation="stream input instead of loading it whole; limits on size and nesting with a clear error",
            test="feed an input over the limit: a clear error, bounded memory",
            signal=None,
            sources=[],
        )

    def library(self) -> None:
        if InterfaceKind.LIBRARY not in self.kinds:
            return
        self.add(
            title="Unvalidated input through the public API",
            surface=Surface.LIBRARY,
            stride=Stride.TAMPERING,
            asset="callers' data and process",
            vector="values outside the documented range passed by callers",
            likelihood="Low",
            impact="Medium",
            mitigation=(
                "validate arguments at the public boundary and raise documented errors; no eval or "
                "dynamic imports of caller data"
            ),
            test="property-based tests over the public functions with out-of-range values: documented errors only",
            signal=None,
            sources=[],
        )

    def supply_chain(self) -> None:
        stack = self.plan.context.stack
        self.add(
            title="Compromised or vulnerable dependency",
            surface=Surface.SUPPLY_CHAIN,
            stride=Stride.TAMPERING,
            asset="the build and everything it ships",
            vector="a malicious release, a typo-squatted name or a known vulnerability in a dependency",
            likelihood="Low",
            impact="High",
            mitigation=(
                "dependencies pinned by a lock file; new dependencies reviewed; a dependency audit in CI "
                "that fails on high severity"
            ),
            test="the dependency audit step runs on every pull request and fails on a known vulnerable pin",
            signal="new advisories for pinned dependencies",
            sources=[f"Stack: {m}" for m in stack.manifests],
        )


def threat_model(plan: Plan, found: list[FoundTechnology] | None = None) -> ThreatModel:
    """The threats of this plan, most severe first; `found` saves recomputing the technologies."""
    builder = _Builder(plan, technologies_in_force(plan) if found is None else found)
    builder.web()
    builder.personal_data()
    builder.files()
    builder.money()
    builder.workflow()
    builder.audit()
    builder.realtime()
    builder.integrations()
    builder.command_line()
    builder.library()
    builder.supply_chain()
    ordered = sorted(builder.threats, key=lambda t: t.severity)
    numbered = [t.model_copy(update={"id": f"TH{i:02d}"}) for i, t in enumerate(ordered, start=1)]
    return ThreatModel(
        threats=numbered, browser_sessions=builder.browser, access_rules=builder.access,
        auth_statements=builder.auth, security_decisions=builder.security, sign_in_decisions=builder.sign_in,
        access_decisions=[
            td for td in builder.security
            if td not in builder.sign_in and _ACCESS_DECISION.search(_about(td))
        ],
    )

