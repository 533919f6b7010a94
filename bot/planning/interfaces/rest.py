"""The REST operations of a feature: CRUD for the entities the stories act on, actions for state
transitions, uploads and downloads for files, runs for jobs, history for the audit trail; each
traced to its story and requirements. `bot.planning.openapi` turns them into the document."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.planning.context import PlanningContext
from bot.planning.contracts import Operation
from bot.planning.datamodel import DataModel, EntityField, EntityModel
from bot.planning.decisions import TechnicalDecision
from bot.planning.interfaces.kinds import (
    CONCURRENCY_CUE,
    EXTERNAL_CUE,
    IDEMPOTENCY_CUE,
    OIDC_CUE,
    corpus_text,
)
from bot.planning.modeling.concerns import decision_for, has_trait
from bot.planning.modeling.names import NameIndex, name_index
from bot.planning.modeling.states import StateVocabulary
from bot.planning.modeling.words import (
    camel_case,
    kebab_case,
    name_words,
    pascal_case,
    plural_kebab,
    plural_snake,
    stem,
)
from bot.planning.openapi import HttpOptions, Security, request_schema, writable_fields
from bot.planning.spec import Requirement, Spec, UserStory


_VERBS: dict[str, re.Pattern[str]] = {
    "list": re.compile(r"\b(?:list|view|see|sees|show|browse|search|filter|find|display|open|opens|queue|dashboard)\w*", re.I),
    "get": re.compile(r"\b(?:view|see|sees|show|open|opens|display|read)\w*", re.I),
    "create": re.compile(r"\b(?:create|creates|add|adds|register|record|enter|capture|upload|attach)\w*", re.I),
    "update": re.compile(r"\b(?:edit|edits|update|change|modify|correct|rename)\w*", re.I),
    "delete": re.compile(r"\b(?:delete|deletes|remove|erase)\w*", re.I),
    "upload": re.compile(r"\b(?:upload|attach|photograph|scan|store)\w*", re.I),
    "download": re.compile(r"\b(?:download|view|open|see|show|store)\w*", re.I),
}
_ERRORS_BASE = [401, 403, 429]


def spoken_name(name: str) -> str:
    return " ".join(name_words(name))


def article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


@dataclass
class _StoryIndex:
    """Which story and which requirements an operation serves."""

    spec: Spec
    names: NameIndex
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _naming: dict[str, list[UserStory]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_priority = sorted(self.spec.stories, key=lambda s: (s.priority, s.id))
        self._numbered: dict[str, list[tuple[int, Requirement]]] = {}  # FR id -> (place in the spec, requirement)
        for place, requirement in enumerate(self.spec.requirements):
            self._numbered.setdefault(requirement.id, []).append((place, requirement))

    def requirements_named(self, ids: Iterable[str]) -> list[Requirement]:
        """The spec's requirements with these ids, in the spec's order."""
        found = {place: r for i in set(ids) for place, r in self._numbered.get(i, [])}
        return [found[place] for place in sorted(found)]

    def story_text(self, story: UserStory) -> str:
        if story.id not in self._texts:
            self._texts[story.id] = " ".join([story.title, story.description, *(s.text for s in story.scenarios)])
        return self._texts[story.id]

    def stories_naming(self, entity: str | None, stories: list[UserStory]) -> list[UserStory]:
        """The stories, in the given order, whose text names the entity (looked up once per entity)."""
        key = entity or ""
        if key not in self._naming:
            self._naming[key] = [s for s in stories if self.names.mentions(self.story_text(s), key)]
        return self._naming[key]

    def story_for(self, entity: str | None, verbs: re.Pattern[str] | None = None,
                  vocabulary: StateVocabulary | None = None, target: str | None = None,
                  activity: str | None = None) -> str | None:
        """The story an operation serves: for a transition, the story whose title (then scenarios,
        then description) acts towards the target state; for a run, the one naming its activity;
        else the first story, by priority, that names the entity (preferring one with the verb)."""
        stories = self.by_priority
        if vocabulary is not None and target is not None:
            for texts in ((s.title,) for s in stories), ((sc.when for sc in s.scenarios) for s in stories), \
                    ((s.description,) for s in stories):
                for story, parts in zip(stories, texts):
                    if any(s == target and not adjective for part in parts for s, adjective, _, _ in vocabulary.mentions(part)):
                        return story.id
            return None
        if activity is not None:
            for story in stories:
                if any(stem(w) == activity for w in re.findall(r"[A-Za-z]+", f"{story.title} {story.description}")):
                    return story.id
        candidates = self.stories_naming(entity, stories)
        if verbs is not None:
            with_verb = next((s for s in candidates if verbs.search(self.story_text(s))), None)
            if with_verb is not None:
                return with_verb.id
        return candidates[0].id if candidates else None

    def requirements_for(self, model: EntityModel, verbs: re.Pattern[str] | None = None) -> list[str]:
        ids = model.requirements
        if verbs is None:
            return list(ids)
        matching = [r.id for r in self.requirements_named(ids) if verbs.search(r.text)]
        return matching or list(ids)

    def action_requirements(self, model: EntityModel, target: str) -> list[str]:
        """FRs that act towards the state (`approve`), else those that name it, else the entity's."""
        assert model.state_machine is not None
        vocabulary = StateVocabulary(model.state_machine.states)
        acting, naming = [], []
        for requirement in self.spec.requirements:
            mentions = [(s, adjective) for s, adjective, _, _ in vocabulary.mentions(requirement.text) if s == target]
            if any(not adjective for _, adjective in mentions):
                acting.append(requirement.id)
            elif mentions:
                naming.append(requirement.id)
        return acting or naming or list(model.requirements)


def _parents(data_model: DataModel) -> dict[str, tuple[EntityModel, str]]:
    """Entity name -> the entity it is nested under in the API, with the foreign key that links
    them: its composition parent, or for a decision record or history the entity whose state it
    records."""
    by_name: dict[str, EntityModel] = {}
    for entity in data_model.entities:
        by_name.setdefault(entity.name, entity)
    candidates: dict[str, list[tuple[int, EntityModel, str]]] = {}
    for relation in data_model.relations:
        model = by_name.get(relation.source)
        target = by_name.get(relation.target)
        if model is None or target is None or not relation.field or relation.target == model.name:
            continue
        if relation.composition:
            candidates.setdefault(model.name, []).append((0, target, relation.field))
        elif model.kind in ("outcome", "audit"):
            rank = 1 if target.state_machine is not None else 2
            candidates.setdefault(model.name, []).append((rank, target, relation.field))
    out: dict[str, tuple[EntityModel, str]] = {}
    for name, found in candidates.items():
        _, target, field_name = min(found, key=lambda c: c[0])
        out[name] = target, field_name
    return out


def _default_story(model: EntityModel, parent: tuple[EntityModel, str] | None, stories: _StoryIndex) -> str | None:
    """The story every operation of a run or a decision record serves: the one naming the run's
    activity, or the one that takes the decision the record keeps."""
    words = name_words(model.name)
    if model.kind == "run" and len(words) > 1:
        return stories.story_for(model.name, activity=stem(words[0]))
    outcome = model.field("outcome")
    if model.kind == "outcome" and outcome is not None and parent is not None and parent[0].state_machine is not None:
        vocabulary = StateVocabulary(parent[0].state_machine.states)
        for state in outcome.enum_values:
            found = stories.story_for(parent[0].name, None, vocabulary, state)
            if found:
                return found
    return None


@dataclass
class HttpPlan:
    operations: list[Operation]
    request_schemas: dict[str, dict[str, Any]]


def _errors(*codes: int) -> list[int]:
    return sorted(set(_ERRORS_BASE) | set(codes))


def plan_operations(context: PlanningContext, data_model: DataModel, options: HttpOptions) -> HttpPlan:
    """The REST operations: CRUD for the entities the stories act on, actions for state transitions,
    uploads and downloads for files, runs for jobs, history for the audit trail."""
    spec = context.spec
    stories = _StoryIndex(spec, name_index([m.name for m in data_model.entities]))
    parents = _parents(data_model)
    outcomes: dict[str, list[EntityModel]] = {}  # entity name -> the decision records of its states
    for entity in data_model.entities:
        if entity.kind == "outcome" and entity.name in parents:
            outcomes.setdefault(parents[entity.name][0].name, []).append(entity)
    ops: list[Operation] = []
    taken: set[str] = set()
    requests: dict[str, dict[str, Any]] = {}
    locking = [409, 412] if options.concurrency else [409]

    def add(op: Operation) -> None:
        base, n = op.operation_id, 2
        while op.operation_id in taken:
            op.operation_id = f"{base}{n}"
            n += 1
        taken.add(op.operation_id)
        ops.append(op)

    for model in data_model.entities:
        readable = spoken_name(model.name)
        collection = plural_kebab(model.name)
        param = "{" + camel_case(model.name) + "Id}"
        item = f"/{collection}/{param}"
        pascal = model.name
        plural_pascal = pascal_case(plural_snake(model.name))
        parent = parents.get(model.name)
        parent_path = f"/{plural_kebab(parent[0].name)}/{{{camel_case(parent[0].name)}Id}}" if parent else ""
        exclude = [parent[1]] if parent else []
        external = 503 if any(EXTERNAL_CUE.search(r.text) for r in stories.requirements_named(model.requirements)) else None

        default_story = _default_story(model, parent, stories)

        def op(kind: str, method: str, path: str, summary: str, operation_id: str, *, verbs: str | None = None,
               request: str | None = None, response: str | None = None, status: int = 200, errors: Sequence[int] = (),
               requirements: list[str] | None = None, story: str | None = None) -> None:
            pattern = _VERBS.get(verbs or "")
            add(Operation(
                operation_id=operation_id, method=method, path=path, summary=summary, kind=kind,
                story=story or default_story or stories.story_for(model.name, pattern),
                requirements=requirements if requirements is not None else stories.requirements_for(model, pattern),
                entity=model.name, request_schema=request, response_schema=response, success_status=status,
                error_statuses=_errors(*errors),
            ))

        list_path = f"{parent_path}/{collection}" if parent else f"/{collection}"
        if model.kind == "audit":
            path = f"{parent_path}/history" if parent else f"/{collection}"
            op("list", "get", path, f"List the {readable} history" + (f" of {article(spoken_name(parent[0].name))}" if parent else ""),
               f"list{parent[0].name if parent else ''}{plural_pascal if not parent else 'History'}",
               verbs="list", response=f"{pascal}Page", errors=[400, 404])
            continue
        op("list", "get", list_path, f"List {spoken_name(plural_snake(model.name))}" + (f" of {article(spoken_name(parent[0].name))}" if parent else ""),
           f"list{plural_pascal}", verbs="list", response=f"{pascal}Page", errors=[400] + ([404] if parent else []))
        writable = writable_fields(model, exclude)
        read_only_api = bool(model.synced_from) or model.kind == "outcome"
        if model.kind == "file":
            requests[f"{pascal}UploadRequest"] = _upload_schema(model, writable)
            op("upload", "post", list_path, f"Upload {article(readable)}", f"upload{pascal}", verbs="upload",
               request=f"{pascal}UploadRequest", response=pascal, status=201, errors=[400, 404, 413, 415, 422])
        elif model.kind == "run":
            op("run", "post", f"/{collection}", f"Start {article(readable)}", f"start{pascal}", verbs="create",
               response=pascal, status=202, errors=[409] + ([external] if external else []))
        elif not read_only_api and writable:
            requests[f"{pascal}Create"] = request_schema(model, writable, partial=False, description=f"A new {readable}.")
            op("create", "post", list_path, f"Create {article(readable)}", f"create{pascal}", verbs="create",
               request=f"{pascal}Create", response=pascal, status=201, errors=[400, 422] + ([404] if parent else []))
        op("get", "get", item, f"Get {article(readable)}", f"get{pascal}", verbs="get", response=pascal, errors=[404])
        if model.kind == "file":
            if options.file_redirect:
                op("download", "get", f"{item}/content", f"Download the content of {article(readable)}",
                   f"download{pascal}Content", verbs="download", status=302, errors=[404])
            else:
                op("download", "get", f"{item}/content", f"Download the content of {article(readable)}",
                   f"download{pascal}Content", verbs="download", errors=[404])
        if not read_only_api and model.kind not in ("run", "file") and writable:
            requests[f"{pascal}Update"] = request_schema(model, writable, partial=True, description=f"Changes to {article(readable)}; send only what changes.")
            op("update", "patch", item, f"Update {article(readable)}", f"update{pascal}", verbs="update",
               request=f"{pascal}Update", response=pascal, errors=[400, 404, 422, *locking])
        if not read_only_api and model.kind != "run":
            op("delete", "delete", item, f"Delete {article(readable)}", f"delete{pascal}", verbs="delete",
               status=204, errors=[404, *locking])
        machine = model.state_machine
        if machine is None:
            continue
        vocabulary = StateVocabulary(machine.states)
        for target in dict.fromkeys(t.target for t in machine.transitions):
            transitions = [t for t in machine.transitions if t.target == target]
            verb = transitions[0].action or "mark-" + kebab_case(target)
            if verb.startswith("mark-"):
                op_id = camel_case(verb) + pascal
            else:
                op_id = verb.lower() + pascal
            outcome = next((m for m in outcomes.get(model.name, [])
                            if target in (m.field("outcome").enum_values if m.field("outcome") else [])), None)
            request = None
            if outcome is not None:
                body = [f for f in writable_fields(outcome) if not f.references and f.type != "enum"]
                if body:
                    request = f"{pascal_case(verb)}{pascal}Request"
                    requests[request] = request_schema(outcome, body, partial=False,
                                                       description=f"What the {spoken_name(outcome.name)} records.")
            guards = any(t.guard for t in transitions)
            served = stories.action_requirements(model, target)
            external = 503 if any(EXTERNAL_CUE.search(r.text) for r in spec.requirements if r.id in served) else None
            errors = [404, *locking] + ([422] if guards or request else []) + ([external] if external else [])
            op("action", "post", f"{item}/{verb}", f"{verb.replace('-', ' ').capitalize()} {article(readable)}", op_id,
               request=request, response=pascal, errors=errors,
               requirements=served,
               story=stories.story_for(model.name, None, vocabulary, target))
    return HttpPlan(ops, requests)


def _upload_schema(model: EntityModel, writable: Sequence[EntityField]) -> dict[str, Any]:
    sizes = [f for f in model.fields if f.type == "integer" and "size" in f.name]
    limit = next((v for f in sizes for v in f.validation if v.startswith("<=")), "")
    schema = request_schema(model, writable, partial=False, description="The file and its details.")
    schema["properties"] = {"file": {"type": "string", "contentMediaType": "application/octet-stream",
                                     "description": f"the file's bytes{' (' + limit + ')' if limit else ''}"},
                            **schema["properties"]}
    schema["required"] = ["file", *schema.get("required", [])]
    return schema


def _security(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> Security:
    td = decision_for(decisions, "authentication")
    if has_trait(td, r"\b(oidc|openid\w*|sso)\b"):
        return Security("openIdConnect", "oidc", td.id)  # type: ignore[union-attr]
    if has_trait(td, r"api-key"):
        return Security("apiKey", "apiKey", td.id)  # type: ignore[union-attr]
    if td is not None:
        return Security("bearer", "bearerAuth", td.id)
    for source, text in context.spec.statements():
        if OIDC_CUE.search(text):
            return Security("openIdConnect", "oidc", source)
    return Security("bearer", "bearerAuth", "default")


def http_options(context: PlanningContext, data_model: DataModel, decisions: Sequence[TechnicalDecision]) -> HttpOptions:
    text = corpus_text(context)
    files = decision_for(decisions, "file-storage")
    stack_text = " ".join(context.stack.services + context.stack.databases + [d.name for d in context.stack.dependencies])
    redirect = has_trait(files, r"object|s3|blob|gcs") or bool(re.search(r"s3|minio|boto|gcs|azure-storage|blob", stack_text, re.I)) or files is None
    if files is not None and has_trait(files, r"\b(bytea|database|filesystem|file-system|gridfs)\b"):
        redirect = False
    return HttpOptions(
        security=_security(context, decisions),
        concurrency=any(m.field("version") is not None for m in data_model.entities) or bool(CONCURRENCY_CUE.search(text)),
        idempotency=bool(IDEMPOTENCY_CUE.search(text)),
        file_redirect=redirect,
    )
