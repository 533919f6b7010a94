"""The system of record (decision, constitution, stack or default) and its SQL dialect's types."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.planning.context import PlanningContext
from bot.planning.decisions import TechnicalDecision
from bot.planning.modeling.concerns import decision_for, option_text


_STORES: tuple[tuple[str, str, str], ...] = (
    # (pattern, product name, dialect)
    (r"postgres(?:ql)?|\bpsql\b|cockroach|supabase|timescale", "PostgreSQL", "postgresql"),
    (r"mysql|mariadb|planetscale", "MySQL", "mysql"),
    (r"sqlite", "SQLite", "sqlite"),
    (r"sql[\s-]?server|mssql|azure sql", "SQL Server", "sqlserver"),
    (r"mongo(?:db)?|documentdb", "MongoDB", "document"),
    (r"dynamo(?:db)?", "DynamoDB", "document"),
    (r"firestore", "Firestore", "document"),
    (r"cosmos\s?db", "Cosmos DB", "document"),
    (r"couch(?:db|base)", "CouchDB", "document"),
    (r"document[\s-](?:store|database|db)", "a document store", "document"),
    (r"relational", "PostgreSQL", "postgresql"),
)
_VERSION_AFTER = r"\s*(\d+(?:\.\d+)?)"


@dataclass(frozen=True)
class StoreChoice:
    name: str  # "PostgreSQL 16"
    dialect: str
    source: str  # "TD002", "Constitution II. …", "stack: PostgreSQL", "default"


def _store_in(text: str) -> tuple[str, str] | None:
    """The first store a text names, with its version when the text gives one anywhere."""
    for pattern, product, dialect in _STORES:
        matches = list(re.finditer(pattern, text, re.I))
        if not matches:
            continue
        if product == "a document store":
            return product, dialect
        for match in matches:
            version = re.match(_VERSION_AFTER, text[match.end():])
            if version:
                return f"{product} {version.group(1)}", dialect
        return product, dialect
    return None


def choose_store(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> StoreChoice:
    """The system of record: the datastore decision, else the constitution, else the repository's
    stack, else PostgreSQL."""
    td = decision_for(decisions, "datastore")
    if td is not None:
        found = _store_in(option_text(td))
        if found:
            return StoreChoice(found[0], found[1], td.id)
    if context.constitution is not None:
        for label, text in context.constitution.rules():
            found = _store_in(f"{label} {text}")
            if found:
                return StoreChoice(found[0], found[1], label)
    for database in context.stack.databases:
        found = _store_in(database)
        if found:
            return StoreChoice(found[0], found[1], f"stack: {database}")
    return StoreChoice("PostgreSQL", "postgresql", "default")


# logical storage kind -> type per dialect; "{n}" is a length, "{p},{s}" precision and scale.
_DIALECT_TYPES: dict[str, dict[str, str]] = {
    "postgresql": {
        "uuid": "uuid", "string": "varchar({n})", "char": "char({n})", "text": "text", "integer": "integer",
        "bigint": "bigint", "decimal": "numeric({p},{s})", "boolean": "boolean", "date": "date",
        "datetime": "timestamptz", "json": "jsonb", "ip": "inet",
    },
    "mysql": {
        "uuid": "char(36)", "string": "varchar({n})", "char": "char({n})", "text": "text", "integer": "int",
        "bigint": "bigint", "decimal": "decimal({p},{s})", "boolean": "boolean", "date": "date",
        "datetime": "datetime(6)", "json": "json", "ip": "varchar(45)",
    },
    "sqlite": {
        "uuid": "text", "string": "text", "char": "text", "text": "text", "integer": "integer",
        "bigint": "integer", "decimal": "numeric", "boolean": "integer", "date": "text",
        "datetime": "text", "json": "text", "ip": "text",
    },
    "sqlserver": {
        "uuid": "uniqueidentifier", "string": "nvarchar({n})", "char": "char({n})", "text": "nvarchar(max)",
        "integer": "int", "bigint": "bigint", "decimal": "decimal({p},{s})", "boolean": "bit", "date": "date",
        "datetime": "datetimeoffset", "json": "nvarchar(max)", "ip": "varchar(45)",
    },
    "document": {
        "uuid": "uuid", "string": "string", "char": "string", "text": "string", "integer": "int",
        "bigint": "long", "decimal": "decimal128", "boolean": "bool", "date": "date", "datetime": "date",
        "json": "object", "ip": "string",
    },
}


def storage_type(dialect: str, kind: str, n: int = 255, p: int = 12, s: int = 2) -> str:
    return _DIALECT_TYPES[dialect][kind].format(n=n, p=p, s=s)
