"""What the repository already says around a spec: its constitution, clarifications log,
earlier decisions, plan template and stack, gathered into one `PlanningContext`.

Files are looked up where spec-kit keeps them (`.specify/…`), then in the older root layout
(`memory/`, `templates/`). A file that exists but cannot be read raises `ContextError` naming
the file and the problem; nothing is silently skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import yaml
from pydantic import BaseModel, Field
from slugify import slugify

from bot.planning.constitution import Constitution, parse_constitution
from bot.planning.context import PlanningContext, PlanTemplate
from bot.planning.decision_log import DECISION_LOG_PATH, DecisionLog, DecisionLogError, parse_decision_log
from bot.planning.feature import Feature
from bot.planning.ports import FileSource
from bot.planning.spec import Clarification, Spec
from bot.planning.stack import detect_stack

CONSTITUTION_PATHS: tuple[str, ...] = (".specify/memory/constitution.md", "memory/constitution.md")
CLARIFICATIONS_LOG_PATHS: tuple[str, ...] = (
    ".specify/memory/clarifications-log.json",
    "memory/clarifications-log.json",
)
DECISION_LOG_PATHS: tuple[str, ...] = (DECISION_LOG_PATH, "memory/technical-decisions-log.json")

TEMPLATES_DIR = ".specify/templates"
OVERRIDES_DIR = ".specify/templates/overrides"
PRESETS_DIR = ".specify/presets"
PRESET_REGISTRY = ".specify/presets/.registry"
EXTENSIONS_DIR = ".specify/extensions"
LEGACY_TEMPLATES_DIR = "templates"
PLAN_TEMPLATE = "plan-template"
DEFAULT_PRESET_PRIORITY = 10  # spec-kit's default; a lower number wins
CORE_TEMPLATE_SLOT = "{CORE_TEMPLATE}"
STRATEGIES: frozenset[str] = frozenset({"replace", "prepend", "append", "wrap"})


class ContextError(ValueError):
    """A repository file planbot reads exists but cannot be used."""


def _first_existing(source: FileSource, paths: Sequence[str]) -> tuple[str, str] | None:
    for path in paths:
        text = source.read_text(path)
        if text is not None:
            return path, text
    return None


# --- constitution --------------------------------------------------------------------------


def find_constitution(source: FileSource) -> Constitution | None:
    """The constitution at `.specify/memory/constitution.md`, else the older `memory/` one.
    An unfilled template gives a constitution without principles."""
    found = _first_existing(source, CONSTITUTION_PATHS)
    if found is None or not found[1].strip():
        return None
    path, text = found
    return parse_constitution(text, path)


# --- clarifications log --------------------------------------------------------------------


class ClarificationGroup(BaseModel):
    """The clarifications the log holds for one feature (or for no named feature)."""

    feature: str | None = None
    branch: str | None = None
    clarifications: list[Clarification] = Field(default_factory=list)

    @property
    def named(self) -> bool:
        return bool(self.feature or self.branch)


def _clarification(item: object, path: str, where: str) -> Clarification:
    if not isinstance(item, dict):
        raise ContextError(f"{path}: {where} is not an object with a question and an answer")
    question, answer = item.get("question"), item.get("answer")
    if not isinstance(question, str) or not question.strip():
        raise ContextError(f"{path}: {where} has no question")
    if not isinstance(answer, str):
        raise ContextError(f"{path}: {where} ({question.strip()!r}) has no answer")
    decided_by = item.get("decided_by")
    if isinstance(decided_by, list):
        decided_by = ", ".join(str(person) for person in decided_by)
    session = item.get("session") or item.get("date")
    timestamp = item.get("timestamp")
    if not session and isinstance(timestamp, str) and re.match(r"\d{4}-\d{2}-\d{2}", timestamp):
        session = timestamp[:10]
    return Clarification(
        question=question.strip(),
        answer=answer.strip(),
        session=str(session) if session else None,
        id=str(item["id"]) if item.get("id") is not None else None,
        category=str(item["category"]) if item.get("category") else None,
        decided_by=str(decided_by) if decided_by else None,
    )


def _group(entry: dict[str, object], path: str, where: str) -> ClarificationGroup:
    items = entry.get("clarifications")
    if not isinstance(items, list):
        raise ContextError(f"{path}: {where} has a `clarifications` value that is not a list")
    feature = entry.get("feature")
    branch = entry.get("branch") or entry.get("feature_branch")
    return ClarificationGroup(
        feature=str(feature) if feature else None,
        branch=str(branch) if branch else None,
        clarifications=[_clarification(c, path, f"{where}, clarification {i + 1}") for i, c in enumerate(items)],
    )


def parse_clarifications_log(text: str, path: str) -> list[ClarificationGroup]:
    """The clarifications log: one object `{"feature", "clarifications": [...]}`, a list of
    such objects, or a bare list of clarifications (`question`, `answer`, optional `id`,
    `category`, `timestamp`, `decided_by`)."""
    if not text.strip():
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContextError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("entries"), list) and "clarifications" not in data:
        data = data["entries"]
    if isinstance(data, dict):
        if "clarifications" in data:
            return [_group(data, path, "the log")]
        return [ClarificationGroup(clarifications=[_clarification(data, path, "the log")])]
    if not isinstance(data, list):
        raise ContextError(f"{path} must hold an object or a list, not {type(data).__name__}")
    groups: list[ClarificationGroup] = []
    loose = ClarificationGroup()
    for index, item in enumerate(data):
        where = f"entry {index + 1}"
        if isinstance(item, dict) and "clarifications" in item:
            groups.append(_group(item, path, where))
        else:
            loose.clarifications.append(_clarification(item, path, where))
    if loose.clarifications:
        groups.append(loose)
    return groups


def _keys(*names: str | None) -> set[str]:
    out: set[str] = set()
    for name in names:
        if name:
            key = slugify(name.rsplit("/", 1)[-1] if "/" in name else name)
            if key:
                out.add(key)
    return out


def _for_feature(
    groups: list[ClarificationGroup], feature: Feature | None, title: str | None
) -> list[ClarificationGroup]:
    """The groups that belong to this feature. A log naming several features contributes only
    the groups naming this one (by title, branch, folder or short name) and unnamed ones; a log
    naming one feature contributes everything, even after the spec was retitled."""
    named = {(g.feature, g.branch) for g in groups if g.named}
    if len(named) < 2 or (feature is None and not title):
        return groups
    wanted = _keys(title)
    if feature is not None:
        wanted |= _keys(feature.branch, feature.short_name, feature.directory)
    return [g for g in groups if not g.named or _keys(g.feature, g.branch) & wanted]


def load_clarifications(
    source: FileSource, *, feature: Feature | None = None, title: str | None = None
) -> list[Clarification]:
    """The clarifications in `.specify/memory/clarifications-log.json` (or the older
    `memory/` one); with `feature`/`title`, only those for that feature when the log holds
    several features. Raises `ContextError` when the file is not a readable log."""
    found = _first_existing(source, CLARIFICATIONS_LOG_PATHS)
    if found is None:
        return []
    groups = _for_feature(parse_clarifications_log(found[1], found[0]), feature, title)
    return [c for g in groups for c in g.clarifications]


def _question_key(question: str) -> str:
    return re.sub(r"\s+", " ", question).strip().rstrip("?.!: ").casefold()


def merge_clarifications(*groups: Sequence[Clarification]) -> list[Clarification]:
    """All clarifications, the first with each question kept (questions compared ignoring
    case, spacing and the closing question mark)."""
    seen: set[str] = set()
    out: list[Clarification] = []
    for group in groups:
        for clarification in group:
            key = _question_key(clarification.question)
            if key not in seen:
                seen.add(key)
                out.append(clarification)
    return out


# --- decision log --------------------------------------------------------------------------


def load_decision_log(source: FileSource) -> DecisionLog:
    """The earlier decisions, from `.specify/memory/technical-decisions-log.json` or the older
    `memory/` one; empty when there is none. Raises `DecisionLogError` when it is unreadable."""
    found = _first_existing(source, DECISION_LOG_PATHS)
    if found is None:
        return DecisionLog()
    path, text = found
    try:
        return parse_decision_log(text)
    except DecisionLogError as exc:
        if path == DECISION_LOG_PATH:
            raise
        raise DecisionLogError(str(exc).replace(DECISION_LOG_PATH, path)) from exc


# --- plan template -------------------------------------------------------------------------


class _Layer(BaseModel):
    path: str
    strategy: str = "replace"


def _subfolders(paths: Sequence[str], parent: str) -> list[str]:
    """The visible folders directly inside `parent`, sorted as spec-kit's scan sorts them."""
    prefix = f"{parent}/"
    names = {p[len(prefix) :].split("/", 1)[0] for p in paths if p.startswith(prefix) and "/" in p[len(prefix) :]}
    return sorted(n for n in names if not n.startswith("."))


def _preset_order(source: FileSource, paths: Sequence[str]) -> list[str]:
    """Installed presets, highest precedence first: by `priority` in `.registry` (lower wins,
    disabled ones left out), or alphabetically when there is no readable registry."""
    registry = source.read_text(PRESET_REGISTRY)
    if registry is not None:
        try:
            presets = json.loads(registry).get("presets", {})
        except (json.JSONDecodeError, AttributeError):
            presets = None
        if isinstance(presets, dict):

            def priority(item: tuple[str, object]) -> float:
                meta = item[1]
                value = meta.get("priority") if isinstance(meta, dict) else None
                return value if isinstance(value, int | float) else DEFAULT_PRESET_PRIORITY

            ordered = sorted(presets.items(), key=priority)
            return [pid for pid, meta in ordered if isinstance(meta, dict) and meta.get("enabled", True) is not False]
    return _subfolders(paths, PRESETS_DIR)


def _preset_layer(source: FileSource, present: set[str], preset: str, name: str) -> _Layer | None:
    folder = f"{PRESETS_DIR}/{preset}"
    strategy, declared = "replace", ""
    manifest = source.read_text(f"{folder}/preset.yml")
    if manifest is not None:
        try:
            data = yaml.safe_load(manifest) or {}
        except yaml.YAMLError:
            data = {}
        provides = data.get("provides", {}) if isinstance(data, dict) else {}
        templates = provides.get("templates", []) if isinstance(provides, dict) else []
        for entry in templates if isinstance(templates, list) else []:
            if isinstance(entry, dict) and entry.get("name") == name and entry.get("type", "template") == "template":
                strategy = str(entry.get("strategy", "replace")).lower()
                declared = str(entry.get("file") or "")
                break
    if declared and not declared.startswith("/") and ".." not in declared.split("/"):
        if f"{folder}/{declared}" in present:
            return _Layer(path=f"{folder}/{declared}", strategy=strategy)
    conventional = f"{folder}/templates/{name}.md"
    return _Layer(path=conventional, strategy=strategy) if conventional in present else None


def _template_layers(source: FileSource, name: str) -> list[_Layer]:
    """Every place the template exists, highest precedence first: project overrides, presets,
    extensions, then the core `.specify/templates/`."""
    paths = source.paths()
    present = set(paths)
    layers: list[_Layer] = []
    override = f"{OVERRIDES_DIR}/{name}.md"
    if override in present:
        layers.append(_Layer(path=override))
    for preset in _preset_order(source, paths):
        layer = _preset_layer(source, present, preset, name)
        if layer is not None:
            layers.append(layer)
    for extension in _subfolders(paths, EXTENSIONS_DIR):
        candidate = f"{EXTENSIONS_DIR}/{extension}/templates/{name}.md"
        if candidate in present:
            layers.append(_Layer(path=candidate))
    core = f"{TEMPLATES_DIR}/{name}.md"
    if core in present:
        layers.append(_Layer(path=core))
    return layers


def _compose(source: FileSource, layers: list[_Layer]) -> str | None:
    """The template text: the top layer when it replaces, else the nearest replacing layer
    below it with the layers above applied in turn (prepend, append, wrap)."""
    texts = [source.read_text(layer.path) or "" for layer in layers]
    base = next((i for i, layer in enumerate(layers) if layer.strategy == "replace"), None)
    if base is None:
        return None
    content = texts[base]
    for index in range(base - 1, -1, -1):
        layer, text = layers[index], texts[index]
        if layer.strategy == "prepend":
            content = f"{text.rstrip()}\n\n{content}"
        elif layer.strategy == "append":
            content = f"{content.rstrip()}\n\n{text}"
        elif layer.strategy == "wrap":
            if CORE_TEMPLATE_SLOT not in text:
                raise ContextError(f"{layer.path}: a `wrap` template needs the {CORE_TEMPLATE_SLOT} placeholder")
            content = text.replace(CORE_TEMPLATE_SLOT, content)
        else:
            raise ContextError(
                f"{layer.path}: unknown template strategy {layer.strategy!r} (use one of {sorted(STRATEGIES)})"
            )
    return content


def find_template(source: FileSource, name: str) -> PlanTemplate | None:
    """A spec-kit template by name, resolved as spec-kit resolves it:
    `.specify/templates/overrides/`, installed presets (by registry priority; their
    `prepend`/`append`/`wrap` strategies applied), extensions, `.specify/templates/`, and
    last the older root `templates/`."""
    layers = _template_layers(source, name)
    if layers:
        text = _compose(source, layers)
        if text is not None:
            return PlanTemplate(path=layers[0].path, text=text)
    legacy = f"{LEGACY_TEMPLATES_DIR}/{name}.md"
    text = source.read_text(legacy)
    return PlanTemplate(path=legacy, text=text) if text is not None else None


def find_plan_template(source: FileSource) -> PlanTemplate | None:
    return find_template(source, PLAN_TEMPLATE)


# --- the whole context ---------------------------------------------------------------------


def load_context(
    source: FileSource,
    spec: Spec,
    *,
    spec_source: str,
    feature: Feature,
    user_context: str | None = None,
    package_root: str = "",
    private: bool = False,
) -> PlanningContext:
    """Everything the repository says around `spec`: constitution, clarifications (the spec's
    own, then the log's for this feature, one per question), decision log, plan template and
    the stack of the package at `package_root`."""
    logged = load_clarifications(source, feature=feature, title=spec.title)
    return PlanningContext(
        spec=spec,
        spec_source=spec_source,
        feature=feature,
        constitution=find_constitution(source),
        clarifications=merge_clarifications(spec.clarifications, logged),
        decision_log=load_decision_log(source),
        plan_template=find_plan_template(source),
        stack=detect_stack(source, package_root),
        user_context=user_context,
        private=private,
    )
