"""`build`: the data model of a feature from its planning context and technical decisions."""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterable, Sequence

from bot.planning.context import PlanningContext
from bot.planning.datamodel import DataModel, EntityField, EntityModel, Migration, Relation, StateMachine
from bot.planning.decisions import TechnicalDecision
from bot.planning.modeling.concerns import DECISION_CONCERNS, decision_for
from bot.planning.modeling.fieldtypes import (
    Typing,
    file_fields,
    id_field,
    infer_typing,
    make_field,
    reference_field,
    timestamp_field,
)
from bot.planning.modeling.names import FILE_NOUNS, PERSON_ROLES, NameIndex, Named, entity_kind, entity_name, name_index
from bot.planning.modeling.policies import (
    AUDIT_CUE,
    CONCURRENCY_CUE,
    DEPARTURE_CUE,
    EDIT_VERBS,
    ENCRYPTED_AT_REST,
    EXACTLY_ONCE,
    PERSONAL_CUE,
    SpecFacts,
    caching_strategy,
    entity_constraints,
    entity_indexes,
    file_validation,
    privacy_policy,
    retention_policy,
    spec_facts,
)
from bot.planning.modeling.relations import (
    PERSON_PREPOSITION_TAILS,
    RelationDraft,
    attribute_reference,
    description_relations,
    label_for_role,
    person_entity,
)
from bot.planning.modeling.statements import statements
from bot.planning.modeling.states import (
    REFUSAL,
    StateVocabulary,
    build_state_machine,
    clean_clause,
    is_state_field,
)
from bot.planning.modeling.stores import choose_store, storage_type
from bot.planning.modeling.words import (
    name_words,
    phrase_pattern,
    plural_snake,
    short_quote,
    singularize,
    snake_case,
    stem,
)
from bot.planning.spec import Attribute, Entity, Spec


_WITH_LIST = re.compile(r"\bwith\s+(?:an?\s+|the\s+|its\s+)?([a-z][a-z ,]*?)\s*(?:[.;]|$)", re.I)
_DIRECTORY_CUE = re.compile(
    r"\b(?:[A-Z]{2,}\s+)?(?i:directory|scim|ldap|identity provider|hr system|hris|single sign-on|sso)\b"
)


def attributes_from_description(description: str) -> list[Attribute]:
    """`…, with comment and timestamp.` -> comment, timestamp: for entities listed without attributes."""
    match = _WITH_LIST.search(description)
    if not match:
        return []
    items = [i.strip() for i in re.split(r",|\band\b", match.group(1)) if i.strip()]
    if not items or any(len(i.split()) > 3 for i in items):
        return []
    return [Attribute(name=i, text=i) for i in items]


def _unique_fields(fields: Iterable[EntityField]) -> list[EntityField]:
    seen: dict[str, EntityField] = {}
    for f in fields:
        seen.setdefault(f.name, f)
    return list(seen.values())


def _entity_fields(
    entity: Entity, model: EntityModel, index: NameIndex, person: str | None, dialect: str,
    drafts: list[RelationDraft],
) -> list[EntityField]:
    fields = [id_field(dialect)]
    attributes = entity.attributes or attributes_from_description(entity.description)
    for attribute in attributes:
        words = name_words(attribute.name)
        if not words:
            continue
        typing = infer_typing(words, attribute.values)
        reference = attribute_reference(words, index, person) if typing.type == "string" and not attribute.values else None
        if reference is not None:
            target, cardinality, role, names_target = reference
            if cardinality == "many-to-many":
                drafts.append(RelationDraft(model.name, target, cardinality, None, " ".join(words), required=False,
                                            role=role, names_target=True))
            else:
                column = snake_case(role) + "_id"
                by_action = role.split()[-1] in PERSON_PREPOSITION_TAILS
                words_of_role = role.split()
                described = (f"who {' '.join(words_of_role[:-1])} it" if words_of_role[-1] == "by" else f"the {role}")
                field = reference_field(column, target, dialect, required=False, description=described)
                field.read_only = by_action
                fields.append(field)
                drafts.append(RelationDraft(model.name, target, cardinality, column, label_for_role(role),
                                            required=False, role=role, names_target=names_target))
            continue
        if set(words) & FILE_NOUNS and not set(words) & {"size", "type", "name", "count", "url", "key", "path", "bytes"}:
            fields += file_fields(snake_case(attribute.name), dialect, required=False)
            continue
        field = make_field(snake_case(attribute.name), typing, dialect, enum_values=attribute.values)
        if re.search(r"\boptional\b|\bif any\b", attribute.text, re.I):
            field.required = False
        if model.kind == "file" and (field.name.endswith("size") or "content_type" in field.name):
            field.read_only = True
        fields.append(field)
    if model.kind == "file":
        names = " ".join(f.name for f in fields)
        for f in file_fields("", dialect, required=True):
            if f.name == "content_type" and re.search(r"content_type|mime", names):
                continue
            if f.name == "size_bytes" and "size" in names:
                continue
            fields.append(f)
    return fields


def _add_currency(model: EntityModel, dialect: str) -> None:
    money = [i for i, f in enumerate(model.fields) if f.type == "money"]
    if not money or any(f.type == "currency" for f in model.fields):
        return
    typing = infer_typing(["currency"])
    currency = make_field("currency", typing, dialect)
    currency.description = "currency of the amounts in this row"
    model.fields.insert(money[0] + 1, currency)


def _outcome_states(model: EntityModel, machines: dict[str, StateMachine], related: set[str]) -> tuple[str, list[str]] | None:
    """The machine whose states a record's name or description names (`approval or rejection`)."""
    text = f"{' '.join(name_words(model.name))} {model.description}"
    best: tuple[str, list[str]] | None = None
    for owner, machine in machines.items():
        if owner == model.name or (related and owner not in related):
            continue
        vocabulary = StateVocabulary(machine.states)
        named = [s for s in machine.states if any(vocabulary.state_of(w) == s for w in re.findall(r"[A-Za-z]+", text))]
        named = [s for s in named if s != machine.initial]
        if len(named) >= 2 and (best is None or len(named) > len(best[1])):
            best = (owner, named)
    return best


def _audit_entity(
    models: Sequence[EntityModel], audit_requirements: Sequence[str], spec: Spec, person: str | None,
    dialect: str, td: TechnicalDecision | None,
) -> tuple[EntityModel, list[RelationDraft]]:
    machines = [m for m in models if m.state_machine is not None]
    texts = " ".join(r.text for r in spec.requirements if r.id in audit_requirements)
    status_only = bool(machines) and bool(re.search(r"\bstatus|\bstate\b|\btransition", texts, re.I))
    taken = {m.name for m in models}
    name = "StatusChange" if status_only else "AuditEvent"
    while name in taken:
        name += "Record"
    drafts: list[RelationDraft] = []
    fields = [id_field(dialect)]
    if status_only and len(machines) == 1:
        subject = machines[0]
        column = snake_case(subject.name) + "_id"
        fields.append(reference_field(column, subject.name, dialect, required=True, description=f"the {subject.name} that changed"))
        drafts.append(RelationDraft(name, subject.name, "many-to-one", column, "has history", required=True))
        states = subject.state_machine.states  # type: ignore[union-attr]
        for column_name, required in (("from_status", False), ("to_status", True)):
            typing = infer_typing(["status"], states)
            typing.required = required
            fields.append(make_field(column_name, typing, dialect, enum_values=states))
        fields[-2].description = "empty for the first recorded state"
    else:
        fields.append(make_field("entity_type", Typing("string", "string", n=64, validation=["an entity name of this model"]), dialect))
        fields.append(EntityField(name="entity_id", type="uuid", sql_type=storage_type(dialect, "uuid"), indexed=True,
                                  description="id of the changed row"))
        fields.append(make_field("action", Typing("string", "string", n=64, description="what happened, e.g. created, updated, status_changed"), dialect))
    if person:
        fields.append(reference_field("actor_id", person, dialect, required=False,
                                      description="who acted; empty for the system (scheduled jobs)"))
        drafts.append(RelationDraft(name, person, "many-to-one", "actor_id", "acted in", required=False))
    else:
        fields.append(make_field("actor", Typing("string", "string", n=255, description="the authenticated subject, or `system`"), dialect))
    fields.append(EntityField(name="occurred_at", type="datetime", sql_type=storage_type(dialect, "datetime"),
                              read_only=True, description="when it happened (UTC)"))
    fields.append(EntityField(name="details", type="json", sql_type=storage_type(dialect, "json"), required=False,
                              description="what changed: comment, old and new values of edited fields"))
    for f in fields:
        f.read_only = True
    source = ", ".join(audit_requirements)
    how = f" Recorded as {td.effective.title} ({td.id})." if td is not None else ""
    model = EntityModel(
        name=name,
        table=plural_snake(name),
        description=(f"Derived by planbot: {source} asks for an audit trail and the spec names no entity to hold it. "
                     f"One append-only row per change: who, when and what.{how}"),
        fields=fields,
        kind="audit",
        derived=True,
        requirements=list(audit_requirements),
    )
    return model, drafts


def _label(draft: RelationDraft) -> str:
    return draft.label or "relates to"


def _relations_from(drafts: Sequence[RelationDraft], models: dict[str, EntityModel]) -> list[Relation]:
    relations: list[Relation] = []
    seen: set[tuple[str, str, str | None]] = set()
    for draft in drafts:
        key = (draft.source, draft.target, draft.field)
        if key in seen or draft.source not in models or draft.target not in models:
            continue
        if draft.cardinality == "many-to-many" and (draft.target, draft.source, None) in seen:
            continue
        seen.add(key)
        join = None
        if draft.cardinality == "many-to-many":
            join = f"{snake_case(draft.source)}_{plural_snake(draft.target)}"
        relations.append(Relation(source=draft.source, target=draft.target, cardinality=draft.cardinality,
                                  field=draft.field, label=_label(draft), composition=draft.composition, join_table=join))
    return relations


def _attach_description_drafts(
    drafts: Sequence[RelationDraft], attribute_drafts: Sequence[RelationDraft], models: dict[str, EntityModel], dialect: str
) -> list[RelationDraft]:
    """Add the foreign keys description cues imply, unless an attribute naming the same entity
    already links the pair."""
    kept: list[RelationDraft] = []
    named_pairs = {(d.source, d.target) for d in attribute_drafts if d.names_target}
    # a role noun (`assignee`) already says who is linked; `approved by` only says who acted once
    role_pairs = {(d.source, d.target) for d in attribute_drafts
                  if d.role and d.role.split()[-1] not in PERSON_PREPOSITION_TAILS}
    for draft in drafts:
        source = models.get(draft.source)
        if source is None or draft.field is None:
            continue
        existing = source.field(draft.field)
        if existing is not None:
            if existing.references == draft.target:
                existing.required = existing.required or draft.required
                kept.append(draft)
            continue
        if (draft.source, draft.target) in named_pairs:
            continue  # an attribute already links them
        if draft.inverse and (draft.source, draft.target) in role_pairs:
            continue
        description = f"the {' '.join(name_words(draft.target))} it belongs to" if draft.composition else f"the {draft.role or ' '.join(name_words(draft.target))}"
        position = next((i for i, f in enumerate(source.fields) if f.name in {"created_at", "updated_at"}), len(source.fields))
        source.fields.insert(position, reference_field(draft.field, draft.target, dialect, required=draft.required,
                                                       description=description))
        kept.append(draft)
    return kept


def _financial_entities(models: Sequence[EntityModel], relations: Sequence[Relation]) -> set[str]:
    financial = {m.name for m in models if any(f.type == "money" for f in m.fields)}
    changed = True
    while changed:
        changed = False
        for r in relations:
            if r.composition and r.source in financial and r.target not in financial:
                financial.add(r.target)
                changed = True
    return financial


@lru_cache(maxsize=8192)
def _edits(text: str) -> bool:
    return EDIT_VERBS.search(text) is not None


@lru_cache(maxsize=8192)
def _exactly_once(text: str) -> bool:
    return EXACTLY_ONCE.search(text) is not None


@lru_cache(maxsize=8192)
def _concurrent(text: str) -> bool:
    return CONCURRENCY_CUE.search(text) is not None


# Each entity is checked against every requirement and edge case: the cues are read once per text.
def _rules(model: EntityModel, spec: Spec, index: NameIndex, named: Named, audit_name: str | None) -> list[str]:
    rules: list[str] = []
    machine = model.state_machine
    if machine is not None:
        for transition in machine.transitions:
            if transition.guard:
                rules.append(f"{transition.source} → {transition.target} requires: {transition.guard}")
        recorded = f", and every change is recorded in {audit_name}" if audit_name else ""
        rules.append(f"`{machine.field}` changes only through the transitions of its state machine{recorded}; "
                     f"any other change is refused with 409 Conflict.")
        initial = re.compile(re.escape(machine.initial) + r"\s+(?:[\w-]+\s+)?$", re.I)
        for requirement in spec.requirements:
            text = requirement.text
            if not _edits(text) or not index.mentions(text, model.name):
                continue
            if any(initial.search(text[: m.start()]) for m in named.matches(text)):
                rules.append(f"Edited or deleted only while {machine.initial} ({requirement.id}).")
    for requirement in spec.requirements:
        if _exactly_once(requirement.text) and index.mentions(requirement.text, model.name):
            clause = next(c for c in re.split(r"[,;]", requirement.text) if EXACTLY_ONCE.search(c))
            rules.append(f"{short_quote(clause, 80).strip().capitalize()} ({requirement.id}): one row per "
                         f"{' '.join(name_words(model.name))} and operation under a unique constraint; retries are idempotent.")
    return rules


def _concurrency(model: EntityModel, spec: Spec, named: Named, dialect: str, single_machine: bool) -> str | None:
    for case in spec.edge_cases:
        if _concurrent(case) and (named.mentioned_in(case) or (single_machine and model.state_machine)):
            return case
    return None


def _departure(model: EntityModel, spec: Spec, named: Named) -> str | None:
    if model.kind != "person":
        return None
    for case in spec.edge_cases:
        words = {singularize(w.lower()) for w in re.findall(r"[A-Za-z]+", case)}
        if DEPARTURE_CUE.search(case) and (named.mentioned_in(case) or words & PERSON_ROLES):
            return case
    return None


def _migrations(models: Sequence[EntityModel], relations: Sequence[Relation], dialect: str) -> list[Migration]:
    """One migration per table, parents first; foreign keys in a cycle are added afterwards."""
    order: list[str] = []
    pending = {m.name for m in models}
    deps = {m.name: {r.target for r in relations if r.source == m.name and r.field and r.target != m.name} for m in models}
    deferred: list[Relation] = []
    while pending:
        ready = sorted((n for n in pending if not deps[n] & pending), key=[m.name for m in models].index)
        if not ready:
            name = min(pending, key=[m.name for m in models].index)
            deferred += [r for r in relations if r.source == name and r.field and r.target in pending and r.target != name]
            ready = [name]
        for name in ready:
            order.append(name)
            pending.discard(name)
    by_name = {m.name: m for m in models}
    out: list[Migration] = []
    document = dialect == "document"
    for name in order:
        model = by_name[name]
        refs = [r for r in relations if r.source == name and r.field and r not in deferred]
        fk = f"; foreign keys to {', '.join(sorted({by_name[r.target].table for r in refs}))}" if refs and not document else ""
        indexes = f"; indexes {', '.join(i.name for i in model.indexes)}" if model.indexes else ""
        if document:
            up = f"create collection `{model.table}` with its JSON Schema validator{indexes}"
            down = f"drop collection `{model.table}`"
        else:
            up = f"create table `{model.table}` ({len(model.fields)} columns, checks{fk}){indexes}"
            down = f"drop table `{model.table}`"
        out.append(Migration(order=len(out) + 1, name=f"{len(out) + 1:04d}_create_{model.table}", entities=[name], up=up, down=down))
    for relation in deferred:
        source = by_name[relation.source]
        out.append(Migration(
            order=len(out) + 1, name=f"{len(out) + 1:04d}_add_{source.table}_{relation.field}_fk", entities=[relation.source],
            up=f"add the foreign key `{relation.field}` -> `{by_name[relation.target].table}` (the tables reference each other)",
            down=f"drop the foreign key `{relation.field}`",
        ))
    for relation in relations:
        if relation.cardinality != "many-to-many" or not relation.join_table:
            continue
        a, b = by_name[relation.source], by_name[relation.target]
        columns = f"`{snake_case(a.name)}_id`, `{snake_case(b.name)}_id`"
        up = (f"create collection `{relation.join_table}` ({columns})" if document else
              f"create table `{relation.join_table}` ({columns}, composite primary key, foreign keys to `{a.table}` and "
              f"`{b.table}`, index on `{snake_case(b.name)}_id`)")
        out.append(Migration(order=len(out) + 1, name=f"{len(out) + 1:04d}_create_{relation.join_table}",
                             entities=[a.name, b.name], up=up,
                             down=f"drop {'collection' if document else 'table'} `{relation.join_table}`"))
    return out


def build_data_model(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> DataModel:
    """The data model of the feature: one entity per spec entity (plus a derived audit trail when
    the requirements ask for one), with types for the chosen store, relations, state machines,
    indexes, constraints, validation, caching, retention and privacy."""
    spec = context.spec
    corpus = statements(context)
    store = choose_store(context, decisions)
    dialect = store.dialect
    concern = {c: decision_for(decisions, c) for c in DECISION_CONCERNS}
    used: dict[str, str] = {}
    if concern["datastore"] is not None and store.source == concern["datastore"].id:  # type: ignore[union-attr]
        used["datastore"] = store.source

    entities: list[Entity] = []
    seen_names: set[str] = set()
    for entity in spec.entities:
        name = entity_name(entity.name)
        if name not in seen_names:
            seen_names.add(name)
            entities.append(entity)
    names = [entity_name(e.name) for e in entities]
    index = name_index(names)
    named_by = {n.name: n for n in index}
    models = [EntityModel(name=n, table=plural_snake(n), description=e.description, kind=entity_kind(n, e.description))
              for n, e in zip(names, entities)]
    by_name = {m.name: m for m in models}
    person = person_entity(models)

    drafts: list[RelationDraft] = []
    for entity, model in zip(entities, models):
        model.fields = _entity_fields(entity, model, index, person, dialect, drafts)
    description_drafts: list[RelationDraft] = []
    for model in models:
        description_drafts += description_relations(model, model.description, index, person)
    drafts += _attach_description_drafts(description_drafts, drafts, by_name, dialect)

    facts = spec_facts(context, corpus, index)
    for model in models:
        if facts.mentions_currency:
            _add_currency(model, dialect)

    state_fields = [(m, f) for m in models for f in m.fields if is_state_field(f)]
    single = len(state_fields) == 1
    for model, field in state_fields:
        if model.state_machine is not None:
            continue
        machine = build_state_machine(field.name, field.enum_values, spec, corpus, None if single else named_by[model.name])
        model.state_machine = machine
        field.read_only = True
        field.description = f"starts as {machine.initial}; changes only through the transitions below"

    machines = {m.name: m.state_machine for m in models if m.state_machine is not None}
    outcome_owner: dict[str, str] = {}
    for model in models:
        if model.kind not in ("entity",) or model.state_machine is not None:
            continue
        related = {d.target for d in drafts if d.source == model.name}
        found = _outcome_states(model, machines, related)
        if found is None:
            continue
        owner, states = found
        model.kind = "outcome"
        outcome_owner[model.name] = owner
        if not any(f.type == "enum" for f in model.fields):
            typing = infer_typing(["outcome"], states)
            outcome = make_field("outcome", typing, dialect, enum_values=states)
            outcome.description = f"the {owner} state this record decides"
            model.fields.insert(1, outcome)

    audit_requirements = [r.id for r in spec.requirements if AUDIT_CUE.search(r.text)]
    audit_name: str | None = next((m.name for m in models if m.kind == "audit"), None)
    if audit_requirements and audit_name is None:
        audit, audit_drafts = _audit_entity(models, audit_requirements, spec, person, dialect, concern["audit"])
        models.append(audit)
        by_name[audit.name] = audit
        drafts += audit_drafts
        audit_name = audit.name
        index.append(Named(audit.name, name_words(audit.name), phrase_pattern(name_words(audit.name))))
        named_by[audit.name] = index[-1]
        if concern["audit"] is not None:
            used["audit"] = concern["audit"].id

    for model in models:
        if model.kind == "person" and any(_DIRECTORY_CUE.search(s.text) for s in corpus):
            source = next(s for s in corpus if _DIRECTORY_CUE.search(s.text))
            match = _DIRECTORY_CUE.search(source.text)
            model.synced_from = f"the {match.group(0)} ({source.source})" if match else ""
        if not model.fields or model.fields[-1].name not in {"updated_at", "occurred_at", "details"}:
            model.fields.append(timestamp_field("created_at", dialect, "when the row was created (UTC)"))
            model.fields.append(timestamp_field("updated_at", dialect, "when the row last changed (UTC)"))
        model.fields = _unique_fields(model.fields)

    relations = _relations_from(drafts, by_name)
    tables = {m.name: m.table for m in models}
    financial = _financial_entities(models, relations)
    cache_td = concern["caching"]
    cache_store = None
    if cache_td is not None:
        cache_store = cache_td.effective.title
        used["caching"] = cache_td.id
    elif any(re.search(r"redis|valkey|memcache", d, re.I) for d in context.stack.databases + context.stack.services):
        cache_store = "Redis (already in the stack)"
    at_rest = ""
    if context.constitution is not None:
        at_rest = next((label for label, text in context.constitution.rules() if ENCRYPTED_AT_REST.search(text)), "")
    related_retention: dict[str, str] = {}
    # outcomes and the audit trail read the retention of the records they describe
    ordered = sorted(models, key=lambda m: {"outcome": 1, "audit": 2}.get(m.kind, 0))
    requirement_words = _RequirementWords(spec, index)
    for model in ordered:
        named = named_by[model.name]
        if not model.derived:
            model.requirements = requirement_words.entity_requirements(model, outcome_owner.get(model.name))
        if model.kind == "file":
            model.constraints = []
        concurrency = _concurrency(model, spec, named, dialect, single)
        if concurrency is not None and not model.field("version"):
            position = next((i for i, f in enumerate(model.fields) if f.name == "created_at"), len(model.fields))
            model.fields.insert(position, EntityField(
                name="version", type="integer", sql_type=storage_type(dialect, "integer"), read_only=True,
                description="optimistic-lock counter, incremented on every write", validation=[">= 1"]))
        departure = _departure(model, spec, named)
        if departure is not None and not model.field("deactivated_at"):
            position = next((i for i, f in enumerate(model.fields) if f.name == "created_at"), len(model.fields))
            model.fields.insert(position, EntityField(
                name="deactivated_at", type="datetime", sql_type=storage_type(dialect, "datetime"), required=False,
                read_only=True, description="set when the person leaves; rows are never hard-deleted while referenced"))
        _mark_personal(model, facts, named, person, relations)
        model.indexes = entity_indexes(model)
        model.constraints = entity_constraints(model, relations, tables, dialect)
        if model.kind == "file":
            file_validation(model, spec, facts, named)
        model.rules = _rules(model, spec, index, named, audit_name)
        if concurrency is not None:
            model.rules.append(f"Optimistic locking: every update and transition carries the `version` it read (HTTP "
                               f"If-Match); a stale write is refused, so the second of two simultaneous actions fails "
                               f"cleanly (Edge case: “{short_quote(concurrency, 70)}”).")
        if departure is not None:
            model.rules.append(f"People are deactivated, never deleted, while records reference them; work waiting on "
                               f"them is re-assigned (Edge case: “{short_quote(departure, 70)}”).")
        if model.kind == "audit":
            model.rules.append("Append-only: the application role has INSERT and SELECT only; corrections are new rows.")
            model.constraints.append("append-only: no UPDATE or DELETE privilege for the application role")
        retention_td = concern["retention"]
        model.retention = retention_policy(model, facts, named, retention_td, related_retention, model.name in financial,
                                     outcome_owner.get(model.name))
        if retention_td is not None:
            used["retention"] = retention_td.id
        model.caching = caching_strategy(model, cache_td, facts, store.name, relations, cache_store)
        model.privacy = privacy_policy(model, facts, concern["encryption"], at_rest, named)
        if model.personal_data and concern["encryption"] is not None:
            used["encryption"] = concern["encryption"].id
        if model.kind == "file" and concern["file-storage"] is not None:
            used["file-storage"] = concern["file-storage"].id
    _add_refusal_rules(models, spec, named_by)
    return DataModel(
        entities=models,
        relations=relations,
        store=store.name,
        store_source=store.source,
        dialect=dialect,
        decisions=used,
        migrations=_migrations(models, relations, dialect),
    )


class _RequirementWords:
    """Where each requirement is, which entities it names and the stems of its words: the look-ups
    that give each entity its FRs without reading every requirement once per entity."""

    def __init__(self, spec: Spec, index: NameIndex) -> None:
        self.requirements = spec.requirements
        self.naming = index.naming(enumerate(r.text for r in spec.requirements))  # entity -> places
        self.by_stem: dict[str, list[int]] = {}
        for place, requirement in enumerate(spec.requirements):
            for word_stem in dict.fromkeys(stem(w) for w in re.findall(r"[A-Za-z]+", requirement.text)):
                self.by_stem.setdefault(word_stem, []).append(place)

    def entity_requirements(self, model: EntityModel, owner: str | None) -> list[str]:
        """FR ids that name the entity; for a run, those that name its activity (`export` for
        ExportBatch); for an outcome, those that act on its states of the entity it decides."""
        places = set(self.naming.get(model.name, []))
        words = name_words(model.name)
        if model.kind == "run" and len(words) > 1:
            places.update(self.by_stem.get(stem(words[0]), []))
        outcome = model.field("outcome") if owner else None
        if owner and outcome is not None:
            vocabulary = StateVocabulary(outcome.enum_values)
            places.update(place for place in self.naming.get(owner, []) if place not in places and any(
                not adjective for _, adjective, _, _ in vocabulary.mentions(self.requirements[place].text)))
        return [self.requirements[place].id for place in sorted(places)]


def _mark_personal(model: EntityModel, facts: SpecFacts, named: Named, person: str | None,
                   relations: Sequence[Relation]) -> None:
    links_person = any(r.source == model.name and r.target == person for r in relations) or model.kind == "person"
    stated = any(PERSONAL_CUE.search(s.text) for s in facts.about(model.name))
    for f in model.fields:
        if model.kind == "person" and (f.name == "name" or f.name.endswith(("_name", "name")) and f.type == "string"):
            f.personal_data = True
        if f.type == "text" and links_person:
            f.personal_data = True
            f.description = (f.description + "; " if f.description else "") + "free text that may describe people"
        if f.type == "file" and (model.kind == "person" or stated):
            f.personal_data = True
        if f.type == "json" and stated:
            f.personal_data = True
        if f.references and f.references == person and model.name != person:
            f.personal_data = True
    model.personal_data = stated or any(f.personal_data for f in model.fields)


def _add_refusal_rules(models: Sequence[EntityModel], spec: Spec, named_by: dict[str, Named]) -> None:
    """Scenarios whose outcome is a refusal become rules on the entity the refused action acts on."""
    for story in spec.stories:
        for scenario in story.scenarios:
            then = clean_clause(scenario.then)
            if not REFUSAL.search(then):
                continue
            given, when = clean_clause(scenario.given), clean_clause(scenario.when)
            owner: EntityModel | None = None
            for model in models:
                machine = model.state_machine
                if machine is not None:
                    vocabulary = StateVocabulary(machine.states)
                    if any(not adjective for _, adjective, _, _ in vocabulary.mentions(when)):
                        owner = model
                        break
            if owner is None:
                owner = next((m for m in models if named_by[m.name].mentioned_in(f"{when} {given}")), None)
            if owner is None:
                continue
            owner.rules.append(f"Refused when {short_quote(given, 80)}: {short_quote(when, 40)} → "
                               f"{short_quote(then, 70)} ({story.id}).")
