"""The data model derived from the spec's entities: fields, types, relations, state machines."""

from __future__ import annotations

from pydantic import BaseModel, Field


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


class Relation(BaseModel):
    source: str  # entity name holding the foreign key, or the "many" side
    target: str
    cardinality: str  # "many-to-one", "one-to-one", "many-to-many"
    field: str | None = None  # the foreign-key field on the source
    label: str = ""  # verb phrase for the diagram, e.g. "submits"


class StateTransition(BaseModel):
    source: str
    target: str
    trigger: str  # what causes it, e.g. "manager approves"


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


class DataModel(BaseModel):
    entities: list[EntityModel] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    def entity(self, name: str) -> EntityModel | None:
        return next((e for e in self.entities if e.name == name), None)
