"""plan.md's Technical Context: every spec-kit field, from what the repository and the spec say.

Values come from the stack (versions exactly as the manifests pin them, else "version to be
verified"), the constitution, settled decisions, the decisions in force (named with
`decision_ref`, so provisional ones say PROVISIONAL DECISION) and the spec's figures.
NEEDS CLARIFICATION appears only where none of these says anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pydantic import BaseModel, Field

from bot.planning.constitution import Principle
from bot.planning.decisions import Category, TechnicalDecision
from bot.planning.layout import UNDECIDED, Stated, detect_language, stated_frameworks
from bot.planning.plan import Plan
from bot.planning.plan_document.constitution_check import TEST_FIRST, is_rule_section
from bot.planning.plan_document.refs import NEEDS_CLARIFICATION, decision_ref
from bot.planning.spec import Metric, MetricKind
from bot.planning.content.technologies import FoundTechnology, TechKind, of_kind, technologies_in_force

TO_BE_VERIFIED = "version to be verified"


class ContextField(BaseModel):
    key: str  # "language_version"
    label: str  # "Language/Version", as spec-kit's plan template names it
    value: str
    sources: list[str] = Field(default_factory=list)  # what the value was read from
    needs_clarification: bool = False


class TechnicalContext(BaseModel):
    fields: list[ContextField]

    def field(self, key: str) -> ContextField:
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)


# spec-kit's Technical Context fields, in its order: (key, label).
TECHNICAL_CONTEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("language_version", "Language/Version"),
    ("primary_dependencies", "Primary Dependencies"),
    ("storage", "Storage"),
    ("testing", "Testing"),
    ("target_platform", "Target Platform"),
    ("project_type", "Project Type"),
    ("performance_goals", "Performance Goals"),
    ("constraints", "Constraints"),
    ("scale_scope", "Scale/Scope"),
)

# A repository template may word a label its own way ("Primary Frameworks", "Runtime"): the
# first pattern that matches the lower-cased label names the field it holds.
_LABEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("language_version", re.compile(r"language")),
    ("primary_dependencies", re.compile(r"depend|framework|librar")),
    ("storage", re.compile(r"storage|database|persist")),
    ("testing", re.compile(r"test|validation approach")),
    ("target_platform", re.compile(r"platform|runtime|environment|deploy")),
    ("project_type", re.compile(r"project type|structure|\btype\b")),
    ("performance_goals", re.compile(r"performance")),
    ("constraints", re.compile(r"constraint")),
    ("scale_scope", re.compile(r"scale|scope")),
)

# The field a decision in force shows up in, by its category.
_CATEGORY_FIELD: dict[Category, str] = {
    Category.ARCHITECTURE: "project_type",
    Category.TECHNOLOGY: "primary_dependencies",
    Category.INTEGRATION: "primary_dependencies",
    Category.PERFORMANCE: "performance_goals",
    Category.SECURITY: "constraints",
    Category.SCALING: "scale_scope",
    Category.DEPLOYMENT: "target_platform",
    Category.DATA: "storage",
}
# A decision of another category whose option in force stores data also shapes Storage.
_STORAGE_WORDS = re.compile(
    r"\b(database|datastore|storage|store|cache|caching|persistence|sql|bucket|blob)\b", re.IGNORECASE
)

_STORAGE_KINDS = (TechKind.DATABASE, TechKind.CACHE, TechKind.OBJECT_STORAGE, TechKind.SEARCH)
# Where software runs, as people write it in a technical context or a constitution.
_PLATFORM_WORDS = re.compile(
    r"\b(?:Kubernetes|OpenShift|Nomad|Docker(?: Compose| Swarm)?|containers?|serverless|AWS(?: Lambda| ECS| Fargate)?"
    r"|Azure(?: Functions| App Service)?|Google Cloud(?: Run| Functions)?|GCP|Cloud Run|Heroku|Fly\.io|Vercel|Netlify"
    r"|Linux|Windows|macOS|iOS(?: \d+\+?)?|Android|WebAssembly|WASM|browsers?|on-prem(?:ises)?|bare metal|VMs?)\b",
    re.IGNORECASE,
)
_PERFORMANCE_KINDS = (MetricKind.LATENCY, MetricKind.THROUGHPUT, MetricKind.AVAILABILITY)
_SCALE_KINDS = (MetricKind.CONCURRENCY, MetricKind.POPULATION, MetricKind.REGIONS)
_CONSTRAINT_KINDS = (MetricKind.SIZE, MetricKind.RETENTION)


def field_key(label: str) -> str | None:
    """The Technical Context field a template label holds, or None for a label of its own."""
    lowered = label.strip().lower()
    return next((key for key, pattern in _LABEL_PATTERNS if pattern.search(lowered)), None)


def _versioned(name: str, version: str | None) -> str:
    if re.search(r"\d", name):
        return name
    return f"{name} {version}" if version else f"{name} ({TO_BE_VERIFIED})"


def metric_phrase(metric: Metric) -> str:
    """A figure with what it measures: `latency p95 ≤ 300 ms`, `99.9% availability`."""
    shown = metric.display()
    if metric.kind is MetricKind.LATENCY:
        at = f" p{metric.percentile:g}" if metric.percentile is not None else ""
        return f"latency{at} ≤ {shown}"
    if metric.kind in (MetricKind.AVAILABILITY, MetricKind.THROUGHPUT):
        return f"{shown} {metric.kind.value}"
    if metric.kind in (MetricKind.SIZE, MetricKind.RETENTION):
        return f"{metric.kind.value} {shown}"
    if metric.kind is MetricKind.POPULATION and not re.search(r"[A-Za-z]", shown):
        return f"population of {shown}"
    return shown


def _metric_parts(metrics: Iterable[Metric]) -> list[str]:
    """One phrase per distinct figure, naming every statement that gives it."""
    first: dict[tuple[MetricKind, float, float | None], Metric] = {}
    sources: dict[tuple[MetricKind, float, float | None], list[str]] = {}
    for metric in metrics:
        key = (metric.kind, metric.value, metric.percentile)
        first.setdefault(key, metric)
        found = sources.setdefault(key, [])
        if metric.source and metric.source not in found:
            found.append(metric.source)
    return [
        f"{metric_phrase(metric)} ({', '.join(sources[key])})" if sources[key] else metric_phrase(metric)
        for key, metric in first.items()
    ]


def fields_of(td: TechnicalDecision) -> set[str]:
    """The Technical Context fields a decision in force shapes."""
    fields = {_CATEGORY_FIELD[td.category]}
    option = td.effective
    if _STORAGE_WORDS.search(" ".join([td.title, option.title, option.summary, *option.traits])):
        fields.add("storage")
    return fields


def _decisions(plan: Plan, key: str) -> list[str]:
    return [decision_ref(td) for td in plan.decisions if key in fields_of(td)]


def _settled(plan: Plan, key: str) -> list[str]:
    """Settled decisions (constitution, earlier log) of the category that feeds field `key`."""
    return [f"{s.decision} (settled by {s.source})" for s in plan.analysis.settled if _CATEGORY_FIELD[s.category] == key]


def principles_naming(plan: Plan, name: str) -> list[tuple[Principle, str | None]]:
    """Principles that name `name`, each with the version it gives (`Python 3.12` -> `3.12`)."""
    constitution = plan.context.constitution
    if constitution is None or not name:
        return []
    pattern = re.compile(rf"(?<![\w#+]){re.escape(name)}(?![\w#+])(?:\s+v?(\d+(?:\.\d+)*))?")
    found = []
    for principle in constitution.principles:
        match = pattern.search(f"{principle.name}. {principle.text}")
        if match:
            found.append((principle, match.group(1)))
    return found


def _unknown(why: str) -> ContextField:
    return ContextField(key="", label="", value=f"{NEEDS_CLARIFICATION} ({why})", needs_clarification=True)


def _known(parts: list[str], sources: Iterable[str] = ()) -> ContextField:
    return ContextField(key="", label="", value="; ".join(parts), sources=list(sources))


def _stated(stated: Stated, plan: Plan) -> str:
    """`Python 3.12 (Stack: pyproject.toml)`; a version the constitution gives is cited as such."""
    if stated.version:
        return f"{stated.name} {stated.version} ({stated.source})"
    given = [(p, v) for p, v in principles_naming(plan, stated.name) if v]
    if given:
        principle, version = given[0]
        return f"{stated.name} {version} ({stated.source}; version from Constitution {principle.label})"
    return f"{stated.name} ({TO_BE_VERIFIED}; {stated.source})"


def _language(plan: Plan) -> ContextField:
    stated = detect_language(plan.context, plan.decisions)
    if stated.name == UNDECIDED:
        return _unknown("no manifest, constitution principle, decision or context names a language")
    parts = [_stated(stated, plan)]
    parts += [
        f"{_versioned(entry, None)} (Stack)" for entry in plan.context.stack.languages if stated.name not in entry
    ]
    return _known(parts, [stated.source])


def _dependencies(plan: Plan) -> ContextField:
    frameworks = stated_frameworks(plan.context, plan.decisions)
    parts = [_stated(f, plan) for f in frameworks]
    parts += _settled(plan, "primary_dependencies") + _decisions(plan, "primary_dependencies")
    if not parts:
        return _unknown("no framework found in the manifests, the constitution or the decisions")
    return _known(parts, [f.source for f in frameworks])


def _found(found: FoundTechnology) -> str:
    """`PostgreSQL 16 (Constitution II. …; Stack: compose.yaml)`, or the version to be verified."""
    where = "; ".join(s for s in found.sources if s not in found.decisions)
    if found.version or not found.technology.versioned:
        shown = f"{found.name} {found.version}" if found.version else found.name
        return f"{shown} ({where})" if where else shown
    return f"{found.name} ({TO_BE_VERIFIED}; {where})" if where else f"{found.name} ({TO_BE_VERIFIED})"


def _storage(plan: Plan) -> ContextField:
    stores = of_kind(technologies_in_force(plan), *_STORAGE_KINDS)
    parts = [_found(f) for f in stores if not f.decisions or set(f.sources) - set(f.decisions)]
    parts += _decisions(plan, "storage")
    if parts:
        return _known(parts, [source for f in stores for source in f.sources])
    if plan.data_model.entities or plan.spec.entities:
        return _unknown("the feature keeps data, but nothing names where")
    return _known(["N/A (the feature keeps no data of its own)"])


def _testing(plan: Plan) -> ContextField:
    stack = plan.context.stack
    parts = [_versioned(tool, stack.version_of(tool)) for tool in stack.test_tools]
    if plan.context.constitution is not None:
        parts += [
            f"tests first (Constitution {p.label})"
            for p in plan.context.constitution.principles
            if TEST_FIRST.search(f"{p.name} {p.text}")
        ]
    if not parts:
        return _unknown("no test runner found in the manifests")
    return _known(parts, stack.manifests)


def _stated_platforms(plan: Plan) -> list[str]:
    """Platforms the technical context, the spec's own Technical Context or the constitution name."""
    texts: list[tuple[str, str]] = []
    if plan.context.user_context:
        texts.append(("user-supplied context", plan.context.user_context))
    if plan.spec.technical_context:
        texts.append(("spec Technical Context", plan.spec.technical_context))
    if plan.context.constitution is not None:
        texts += plan.context.constitution.rules()
    found: dict[str, list[str]] = {}
    for source, text in texts:
        for match in _PLATFORM_WORDS.finditer(text):
            found.setdefault(match.group(0), [])
            if source not in found[match.group(0)]:
                found[match.group(0)].append(source)
    return [f"{name} ({', '.join(sources)})" for name, sources in found.items()]


def _platform(plan: Plan) -> ContextField:
    parts = _settled(plan, "target_platform") + _decisions(plan, "target_platform") + _stated_platforms(plan)
    if plan.context.stack.containerised:
        parts.append("containers (the repository has a Dockerfile or compose file)")
    if plan.layout.frontend_dir:
        parts.append(f"web browsers for the frontend in `{plan.layout.frontend_dir}`")
    if not parts:
        return _unknown("no deployment decision, container file or platform statement found")
    return _known(parts)


def _project_type(plan: Plan) -> ContextField:
    parts = [f"{plan.layout.project_type} (source in `{plan.layout.source_root}`)"]
    return _known(parts + _settled(plan, "project_type") + _decisions(plan, "project_type"))


def _performance(plan: Plan) -> ContextField:
    parts = _metric_parts(m for kind in _PERFORMANCE_KINDS for m in plan.spec.metrics_of(kind))
    parts += _decisions(plan, "performance_goals")
    if not parts:
        return _unknown("the spec states no latency, throughput or availability target")
    return _known(parts)


def _constraints(plan: Plan) -> ContextField:
    parts = _metric_parts(m for kind in _CONSTRAINT_KINDS for m in plan.spec.metrics_of(kind))
    constitution = plan.context.constitution
    if constitution is not None:
        parts += [f"Constitution {p.label} (non-negotiable)" for p in constitution.principles if p.non_negotiable]
        parts += [f"Constitution: {name}" for name in constitution.sections if is_rule_section(name)]
    parts += _settled(plan, "constraints") + _decisions(plan, "constraints")
    if not parts:
        return _unknown("no limit stated in the spec, the constitution or the decisions")
    return _known(parts)


def _scale(plan: Plan) -> ContextField:
    spec = plan.spec
    parts = _metric_parts(m for kind in _SCALE_KINDS for m in spec.metrics_of(kind))
    parts += _decisions(plan, "scale_scope")
    entities = len(plan.data_model.entities) or len(spec.entities)
    parts.append(
        f"{len(spec.stories)} user stories, {len(spec.requirements)} functional requirements, {entities} entities"
    )
    return _known(parts)


_BUILDERS: dict[str, Callable[[Plan], ContextField]] = {
    "language_version": _language,
    "primary_dependencies": _dependencies,
    "storage": _storage,
    "testing": _testing,
    "target_platform": _platform,
    "project_type": _project_type,
    "performance_goals": _performance,
    "constraints": _constraints,
    "scale_scope": _scale,
}


def technical_context(plan: Plan) -> TechnicalContext:
    """Every spec-kit Technical Context field, in spec-kit's order."""
    return TechnicalContext(
        fields=[
            _BUILDERS[key](plan).model_copy(update={"key": key, "label": label})
            for key, label in TECHNICAL_CONTEXT_FIELDS
        ]
    )
