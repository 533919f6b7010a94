"""The data model derived from the spec's entities: fields, types, relations, state machines.

The models live here; `build_data_model` derives a `DataModel` from the planning context and the
technical decisions (the work is done in `bot.planning.modeling`). Everything is inferred from
general cues (attribute names, description phrasing, enumerated value lists, requirement text),
never from words of a particular domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from bot.planning.modeling.words import snake_case

if TYPE_CHECKING:
    from bot.planning.context import PlanningContext
    from bot.planning.decisions import TechnicalDecision


class EntityField(BaseModel):
    name: str  # snake_case column name, e.g. "submitted_at"
    type: str  # logical type: string, text, integer, decimal, money, boolean, date, datetime, uuid,
    #            email, url, enum, currency, file, json, reference
    sql_type: str  # e.g. "varchar(255)", "numeric(12,2)", "timestamptz", "uuid"
    required: bool = True
    unique: bool = False
    indexed: bool = False
    primary_key: bool = False
    references: str | None = None  # entity name for a foreign key
    enum_values: list[str] = Field(default_factory=list)
    personal_data: bool = False
    description: str = ""
    validation: list[str] = Field(default_factory=list)  # human-readable rules, e.g. "ISO 4217 code"
    read_only: bool = False  # set by the system (actions, jobs, clock), never written by clients


class Relation(BaseModel):
    source: str  # entity name holding the foreign key, or the "many" side
    target: str
    cardinality: str  # "many-to-one", "one-to-one", "many-to-many"
    field: str | None = None  # the foreign-key field on the source
    label: str = ""  # verb phrase for the diagram, e.g. "submits"
    composition: bool = False  # the source is part of the target: deleted with it, nested under it
    join_table: str | None = None  # the association table of a many-to-many relation


class StateTransition(BaseModel):
    source: str
    target: str
    trigger: str  # what causes it, e.g. "manager approves"
    action: str = ""  # the verb that performs it, e.g. "approve"; names the API action
    guard: str = ""  # a condition that must hold, e.g. "at least one line (US1)"


class StateMachine(BaseModel):
    field: str  # the status field
    states: list[str]
    initial: str
    terminal: list[str] = Field(default_factory=list)
    transitions: list[StateTransition] = Field(default_factory=list)


class Index(BaseModel):
    name: str
    columns: list[str]
    unique: bool = False
    reason: str = ""


class EntityModel(BaseModel):
    name: str  # as the spec names it, e.g. "ExpenseReport"
    table: str  # snake_case plural, e.g. "expense_reports"
    description: str = ""
    fields: list[EntityField] = Field(default_factory=list)
    indexes: list[Index] = Field(default_factory=list)
    constraints: list[str] = Field(default_factory=list)
    state_machine: StateMachine | None = None
    caching: str = ""  # the caching strategy for this entity
    retention: str = ""  # how long it is kept and why
    personal_data: bool = False
    requirements: list[str] = Field(default_factory=list)  # FR ids that mention it
    # What sort of thing it is: "entity", "person", "file", "run" (one execution of a job),
    # "outcome" (the record of a decision on another entity's state), "audit" (history).
    kind: str = "entity"
    derived: bool = False  # added by planbot (the spec names no such entity), e.g. an audit trail
    rules: list[str] = Field(default_factory=list)  # business rules beyond single fields
    privacy: str = ""  # personal data handling: encryption, erasure, access
    synced_from: str = ""  # when its rows come from another system (a directory), which and why

    def field(self, name: str) -> EntityField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def personal_fields(self) -> list[EntityField]:
        return [f for f in self.fields if f.personal_data]


class Migration(BaseModel):
    order: int
    name: str  # "0003_create_expense_reports"
    entities: list[str] = Field(default_factory=list)  # entity names it creates or alters
    up: str  # what applying it does
    down: str  # how it is reversed


class DataModel(BaseModel):
    entities: list[EntityModel] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    store: str = "PostgreSQL"  # the system of record, e.g. "PostgreSQL 16"
    store_source: str = ""  # why: "TD002", "Constitution II. …", "stack: pyproject.toml", "default"
    dialect: str = "postgresql"  # "postgresql", "mysql", "sqlite", "sqlserver" or "document"
    decisions: dict[str, str] = Field(default_factory=dict)  # concern ("datastore", "caching", …) -> TD id
    migrations: list[Migration] = Field(default_factory=list)

    def entity(self, name: str) -> EntityModel | None:
        return next((e for e in self.entities if e.name == name), None)

    @property
    def relational(self) -> bool:
        return self.dialect != "document"

    def relations_of(self, name: str) -> list[Relation]:
        return [r for r in self.relations if name in (r.source, r.target)]

    def relation_required(self, relation: Relation) -> bool:
        """Whether every source row must point at a target (a NOT NULL foreign key)."""
        source = self.entity(relation.source)
        field = source.field(relation.field) if source is not None and relation.field else None
        return field is not None and field.required

    def join_columns(self, relation: Relation) -> tuple[str, str]:
        """The two foreign-key columns of a many-to-many relation's association table."""
        return f"{snake_case(relation.source)}_id", f"{snake_case(relation.target)}_id"

    @property
    def join_tables(self) -> list[Relation]:
        return [r for r in self.relations if r.cardinality == "many-to-many" and r.join_table]


def build_data_model(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> DataModel:
    """The data model of the feature: one entity per spec entity (plus a derived audit trail when
    the requirements ask for one), with types for the chosen store, relations, state machines,
    indexes, constraints, validation, caching, retention and privacy."""
    from bot.planning.modeling.builder import build_data_model as build

    return build(context, decisions)
