"""The GraphQL SDL of a feature, when the API style decision chose GraphQL."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.planning.contracts import Operation
from bot.planning.datamodel import DataModel, EntityField, EntityModel
from bot.planning.interfaces.events import DomainEvent
from bot.planning.modeling.words import camel_case, pascal_case
from bot.planning.openapi import api_name, writable_fields


_GRAPHQL_SCALARS = {"uuid": "ID", "reference": "ID", "integer": "Int", "boolean": "Boolean", "money": "Decimal",
                    "decimal": "Decimal", "date": "Date", "datetime": "DateTime", "json": "JSON", "email": "String",
                    "url": "String", "currency": "String", "text": "String", "string": "String", "file": "String"}


def enum_name(model: EntityModel, field: EntityField) -> str:
    return model.name + pascal_case(field.name)


def enum_value(value: str) -> str:
    ident = re.sub(r"\W+", "_", value).strip("_").upper()
    return ident if ident and not ident[0].isdigit() else f"V_{ident}"


def _graphql_type(model: EntityModel, field: EntityField) -> str:
    if field.type == "enum" and field.enum_values:
        return enum_name(model, field)
    return _GRAPHQL_SCALARS.get(field.type, "String")


def build_graphql(title: str, data_model: DataModel, operations: Sequence[Operation], events: Sequence[DomainEvent]) -> str:
    lines = [f'"""{title}: the GraphQL schema of this feature."""', "",
             "scalar DateTime", "scalar Date", "scalar Decimal", "scalar JSON", ""]
    for model in data_model.entities:
        for f in model.fields:
            if f.type == "enum" and f.enum_values:
                lines.append(f"enum {enum_name(model, f)} {{")
                lines += [f"  {enum_value(v)}" for v in f.enum_values]
                lines += ["}", ""]
    for model in data_model.entities:
        if model.description:
            lines.append(f'"""{model.description.replace(chr(34) * 3, "")}"""')
        lines.append(f"type {model.name} {{")
        for f in model.fields:
            lines.append(f"  {camel_case(api_name(f))}: {_graphql_type(model, f)}{'!' if f.required or f.primary_key else ''}")
        lines += ["}", "", f"type {model.name}Page {{", f"  items: [{model.name}!]!", "  nextCursor: String", "}", ""]
        writable = writable_fields(model)
        if writable and model.kind not in ("audit", "run", "outcome") and not model.synced_from:
            for suffix, partial in (("Create", False), ("Update", True)):
                lines.append(f"input {model.name}{suffix}Input {{")
                for f in writable:
                    lines.append(f"  {camel_case(api_name(f))}: {_graphql_type(model, f)}{'!' if f.required and not partial else ''}")
                lines += ["}", ""]
    queries, mutations = [], []
    for op in operations:
        model = data_model.entity(op.entity or "")
        if model is None:
            continue
        name = op.operation_id
        field = camel_case(name.removeprefix("get").removeprefix("list")) if op.kind in ("get", "list") else name
        args = ", ".join(f"{p}: ID!" for p in re.findall(r"\{(\w+)\}", op.path))
        if op.kind == "list":
            args = ", ".join(a for a in (args, "first: Int = 25", "after: String") if a)
            queries.append(f"  {field}({args}): {model.name}Page!")
        elif op.kind == "get":
            queries.append(f"  {field}({args}): {model.name}")
        elif op.kind in ("create", "update"):
            suffix = "Create" if op.kind == "create" else "Update"
            if f"input {model.name}{suffix}Input {{" in lines:
                args = ", ".join(a for a in (args, f"input: {model.name}{suffix}Input!") if a)
                mutations.append(f"  {name}({args}): {model.name}!")
        elif op.kind == "delete":
            mutations.append(f"  {name}({args}): Boolean!")
        elif op.kind in ("action", "run"):
            extra = ", comment: String" if op.request_schema else ""
            mutations.append(f"  {name}({args}{extra}): {model.name}!" if args or extra else f"  {name}: {model.name}!")
    lines += ["type Query {", *queries, "}", ""]
    if mutations:
        lines += ["type Mutation {", *mutations, "}", ""]
    pushed = [e for e in events if e.realtime and e.entity]
    if pushed:
        lines.append("type Subscription {")
        for event in pushed:
            lines.append(f"  {event.key}(id: ID): {event.entity}!")
        lines += ["}", ""]
    return "\n".join(lines).rstrip() + "\n"
