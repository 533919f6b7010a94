"""The protocol buffer service definition of a feature, when the API style decision chose gRPC."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.planning.context import PlanningContext
from bot.planning.contracts import Operation
from bot.planning.datamodel import DataModel
from bot.planning.interfaces.graphql import enum_name, enum_value
from bot.planning.modeling.words import pascal_case, snake_case
from bot.planning.openapi import api_name


_PROTO_TYPES = {"uuid": "string", "reference": "string", "integer": "int64", "boolean": "bool", "money": "string",
                "decimal": "string", "date": "string", "datetime": "google.protobuf.Timestamp",
                "json": "google.protobuf.Struct", "email": "string", "url": "string", "currency": "string",
                "text": "string", "string": "string", "file": "string"}


def build_proto(context: PlanningContext, data_model: DataModel, operations: Sequence[Operation]) -> str:
    package = re.sub(r"\W+", "_", snake_case(context.feature.short_name) or "feature") + ".v1"
    service = pascal_case(context.feature.short_name) or "Feature"
    lines = ['syntax = "proto3";', "", f"package {package};", "",
             'import "google/protobuf/empty.proto";', 'import "google/protobuf/struct.proto";',
             'import "google/protobuf/timestamp.proto";', ""]
    for model in data_model.entities:
        for f in model.fields:
            if f.type == "enum" and f.enum_values:
                enum = enum_name(model, f)
                prefix = snake_case(enum).upper()
                lines.append(f"enum {enum} {{")
                lines.append(f"  {prefix}_UNSPECIFIED = 0;")
                lines += [f"  {prefix}_{enum_value(v)} = {i};" for i, v in enumerate(f.enum_values, start=1)]
                lines += ["}", ""]
        if model.description:
            lines.append(f"// {' '.join(model.description.split())}")
        lines.append(f"message {model.name} {{")
        for i, f in enumerate(model.fields, start=1):
            kind = enum_name(model, f) if f.type == "enum" and f.enum_values else _PROTO_TYPES.get(f.type, "string")
            optional = "optional " if not f.required and not kind.startswith("google.") else ""
            lines.append(f"  {optional}{kind} {api_name(f)} = {i};")
        lines += ["}", ""]
    rpcs: list[str] = []
    for op in operations:
        model = data_model.entity(op.entity or "")
        if model is None:
            continue
        method = pascal_case(op.operation_id)
        request = f"{method}Request"
        fields = [f"string {snake_case(p)} = {i};" for i, p in enumerate(re.findall(r"\{(\w+)\}", op.path), start=1)]
        if op.kind == "list":
            fields += [f"int32 page_size = {len(fields) + 1};", f"string page_token = {len(fields) + 2};"]
            response = f"{method}Response"
            lines += [f"message {response} {{", f"  repeated {model.name} items = 1;", "  string next_page_token = 2;", "}", ""]
        elif op.kind == "delete":
            response = "google.protobuf.Empty"
        else:
            response = model.name
        if op.kind in ("create", "update") or (op.kind == "action" and op.request_schema):
            fields.append(f"{model.name} {snake_case(model.name)} = {len(fields) + 1};" if op.kind != "action"
                          else f"string comment = {len(fields) + 1};")
        lines += [f"message {request} {{", *(f"  {f}" for f in fields), "}", ""]
        rpcs.append(f"  rpc {method}({request}) returns ({response});")
    lines += [f"service {service}Service {{", *rpcs, "}"]
    return "\n".join(lines) + "\n"
