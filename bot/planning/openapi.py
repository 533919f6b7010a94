"""The OpenAPI 3.1 document of a feature's REST interface.

`bot.planning.contracts` decides which operations exist; this module turns them, with the data
model's entities, into an OpenAPI document (a plain dict, ready for YAML): one schema per
entity, request and page schemas, problem+json errors, security and pagination.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.planning.datamodel import DataModel, EntityField, EntityModel
from bot.planning.modeling.words import camel_case, name_words

if TYPE_CHECKING:
    from bot.planning.contracts import Operation

OPENAPI_VERSION = "3.1.0"
PROBLEM_JSON = "application/problem+json"
PAGE_LIMIT_DEFAULT = 25
PAGE_LIMIT_MAX = 100

# status -> (component name, meaning). The one list of error responses the contracts use.
ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "The request is malformed: unreadable JSON, an unknown field or a bad query parameter."),
    401: ("Unauthorized", "No valid credentials: the access token is missing, expired or invalid."),
    403: ("Forbidden", "Authenticated, but not allowed to act on this resource."),
    404: ("NotFound", "No such resource, or it is not visible to the caller."),
    409: ("Conflict", "The resource's state does not allow this (e.g. a transition from the wrong status)."),
    412: ("PreconditionFailed", "The If-Match version is stale: someone else changed the resource first."),
    413: ("ContentTooLarge", "The uploaded content is larger than the limit."),
    415: ("UnsupportedMediaType", "The uploaded content's type is not accepted."),
    422: ("UnprocessableContent", "Well-formed but invalid: a field or business rule fails validation."),
    429: ("TooManyRequests", "Rate limit reached; retry after the number of seconds in Retry-After."),
    503: ("ServiceUnavailable", "A system this operation depends on is unavailable; retry later."),
}


@dataclass(frozen=True)
class Security:
    scheme: str  # "openIdConnect", "bearer" or "apiKey"
    name: str  # the component name, e.g. "oidc"
    source: str  # where it comes from: "TD004", "FR-010", "default"


@dataclass(frozen=True)
class HttpOptions:
    """Choices the contract builder made that shape the document."""

    security: Security
    concurrency: bool = False  # optimistic locking through ETag / If-Match
    idempotency: bool = False  # Idempotency-Key on creating operations
    file_redirect: bool = True  # file content is served by a redirect to a signed URL
    server_url: str = "/api/v1"


def api_name(field: EntityField) -> str:
    """The property name clients see: the column name, except that a storage key becomes a URL."""
    if field.type == "file":
        return "download_url" if field.name == "storage_key" else field.name.removesuffix("_key") + "_url"
    return field.name


def _length(field: EntityField) -> int | None:
    match = re.search(r"\((\d+)\)", field.sql_type)
    return int(match.group(1)) if match else None


def _maximum(model: EntityModel, field: EntityField) -> int | None:
    for constraint in model.constraints:
        match = re.search(rf"\b{re.escape(field.name)} <= (\d+)", constraint)
        if match:
            return int(match.group(1))
    return None


def field_schema(model: EntityModel, field: EntityField) -> dict[str, Any]:
    """The JSON Schema of one field, as an API property."""
    kind = field.type
    schema: dict[str, Any]
    if kind in ("uuid", "reference"):
        schema = {"type": "string", "format": "uuid"}
    elif kind == "enum":
        schema = {"type": "string", "enum": list(field.enum_values)}
    elif kind == "text":
        schema = {"type": "string", "maxLength": 10000}
    elif kind == "integer":
        wide = any(t in field.sql_type for t in ("bigint", "long"))
        schema = {"type": "integer", "format": "int64" if wide else "int32"}
        if ">= 0" in field.validation:
            schema["minimum"] = 0
        if ">= 1" in field.validation:
            schema["minimum"] = 1
        maximum = _maximum(model, field)
        if maximum is not None:
            schema["maximum"] = maximum
    elif kind == "money":
        schema = {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$",
                  "description": "decimal amount as a string, e.g. \"42.50\" (no binary floating point)"}
    elif kind == "decimal":
        schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "description": "decimal number as a string"}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "datetime":
        schema = {"type": "string", "format": "date-time"}
    elif kind == "email":
        schema = {"type": "string", "format": "email", "maxLength": 320}
    elif kind == "url":
        schema = {"type": "string", "format": "uri", "maxLength": 2048}
    elif kind == "currency":
        schema = {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 alphabetic code"}
    elif kind == "json":
        schema = {"type": "object", "additionalProperties": True}
    elif kind == "file":
        schema = {"type": "string", "format": "uri",
                  "description": "short-lived signed URL to download the content; the storage key stays internal"}
    else:
        schema = {"type": "string"}
        length = _length(field)
        if length:
            schema["maxLength"] = length
        if field.enum_values:
            schema["enum"] = list(field.enum_values)
    if field.description and "description" not in schema and kind != "file":
        schema["description"] = field.description
    if field.read_only or field.primary_key:
        schema["readOnly"] = True
    if not field.required and not field.primary_key:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def entity_schema(model: EntityModel) -> dict[str, Any]:
    properties = {api_name(f): field_schema(model, f) for f in model.fields}
    required = [api_name(f) for f in model.fields if f.required or f.primary_key]
    description = model.description or " ".join(name_words(model.name)).capitalize()
    if model.derived:
        description = model.description
    return {
        "type": "object",
        "description": description,
        "required": required,
        "properties": properties,
    }


def writable_fields(model: EntityModel, exclude: Sequence[str] = ()) -> list[EntityField]:
    """Fields a client may send: not system-set, not the key, not given by the path."""
    return [
        f for f in model.fields
        if not (f.read_only or f.primary_key or f.type == "file" or f.name in exclude)
    ]


def request_schema(model: EntityModel, fields: Sequence[EntityField], *, partial: bool, description: str) -> dict[str, Any]:
    properties = {}
    for f in fields:
        schema = field_schema(model, f)
        schema.pop("readOnly", None)
        properties[api_name(f)] = schema
    schema: dict[str, Any] = {"type": "object", "description": description, "additionalProperties": False,
                              "properties": properties}
    if partial:
        schema["minProperties"] = 1
    else:
        required = [api_name(f) for f in fields if f.required]
        if required:
            schema["required"] = required
    return schema


def page_schema(model: EntityModel) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"One page of {' '.join(name_words(model.name))} items, newest first.",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{model.name}"}},
            "next_cursor": {"type": ["string", "null"],
                            "description": "pass as `cursor` to get the next page; null on the last page"},
        },
    }


def error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "An error, as RFC 9457 problem details.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "format": "uri-reference", "default": "about:blank",
                     "description": "a URI naming the error type"},
            "title": {"type": "string", "description": "a short summary of the error type"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "what went wrong this time"},
            "instance": {"type": "string", "format": "uri-reference"},
            "errors": {
                "type": "array",
                "description": "field-level problems (422)",
                "items": {
                    "type": "object",
                    "required": ["field", "message"],
                    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }


def path_parameter(model: EntityModel) -> tuple[str, dict[str, Any]]:
    name = camel_case(model.name) + "Id"
    return name, {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"id of the {' '.join(name_words(model.name))}",
        "schema": {"type": "string", "format": "uuid"},
    }


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema_name: str) -> dict[str, Any]:
    return {"application/json": {"schema": _ref("schemas", schema_name)}}


def _list_filters(model: EntityModel, nested_by: str | None) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    machine = model.state_machine
    if machine is not None:
        filters.append({"name": machine.field, "in": "query", "required": False,
                        "description": f"only items in this {machine.field}",
                        "schema": {"type": "string", "enum": list(machine.states)}})
    for f in model.fields:
        if f.references and f.name != nested_by:
            filters.append({"name": camel_case(f.name), "in": "query", "required": False,
                            "description": f"only items whose {f.name} is this id",
                            "schema": {"type": "string", "format": "uuid"}})
    if model.field("created_at") is not None:
        for name, word in (("createdAfter", "after"), ("createdBefore", "before")):
            filters.append({"name": name, "in": "query", "required": False,
                            "description": f"only items created {word} this instant",
                            "schema": {"type": "string", "format": "date-time"}})
    return filters


def _security_scheme(security: Security) -> dict[str, Any]:
    if security.scheme == "openIdConnect":
        return {"type": "openIdConnect",
                "openIdConnectUrl": "https://identity.example.com/.well-known/openid-configuration",
                "description": "the organisation's OpenID Connect provider; replace the URL with its issuer's "
                               f"discovery document ({security.source})"}
    if security.scheme == "apiKey":
        return {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": f"per-client API key ({security.source})"}
    return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": f"access token issued by the identity provider ({security.source})"}


def _operation_object(op: Operation, model: EntityModel | None, data_model: DataModel, options: HttpOptions,
                      parameters: list[dict[str, Any]]) -> dict[str, Any]:
    tags = [t for t in (op.story, op.entity) if t]
    body: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary, "tags": tags}
    if op.story is None and op.entity is None:
        body.pop("tags")
    if parameters:
        body["parameters"] = parameters
    if op.request_schema and op.kind == "upload":
        body["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": _ref("schemas", op.request_schema),
            "encoding": {"file": {"contentType": _accepted_types(model)}},
        }}}
    elif op.request_schema:
        body["requestBody"] = {"required": True, "content": _json(op.request_schema)}
    responses: dict[str, Any] = {}
    status = str(op.success_status)
    if op.success_status == 204:
        responses[status] = {"description": "Done; no content."}
    elif op.success_status in (301, 302, 303, 307):
        responses[status] = {"description": "Redirect to a short-lived signed URL of the content.",
                             "headers": {"Location": _ref("headers", "Location")}}
    elif op.kind == "download":
        responses[status] = {"description": "The stored content.", "content": {
            t: {"schema": {"type": "string", "contentMediaType": t}} for t in _accepted_types(model).split(", ")
        }}
    elif op.response_schema:
        response: dict[str, Any] = {"description": _success_text(op), "content": _json(op.response_schema)}
        headers: dict[str, Any] = {}
        if op.success_status in (201, 202):
            headers["Location"] = _ref("headers", "Location")
        if options.concurrency and model is not None and model.field("version") is not None and op.kind != "list":
            headers["ETag"] = _ref("headers", "ETag")
        if headers:
            response["headers"] = headers
        responses[status] = response
    for code in op.error_statuses:
        responses[str(code)] = _ref("responses", ERROR_RESPONSES[code][0])
    body["responses"] = responses
    if op.requirements:
        body["x-requirements"] = list(op.requirements)
    if op.kind == "action" and model is not None and model.state_machine is not None:
        transitions = [t for t in model.state_machine.transitions if op.path.endswith("/" + t.action)]
        if transitions:
            body["x-transition"] = {
                "field": model.state_machine.field,
                "from": sorted({t.source for t in transitions}, key=model.state_machine.states.index),
                "to": transitions[0].target,
            }
            guards = [t.guard for t in transitions if t.guard]
            body["description"] = (
                f"Moves the {' '.join(name_words(model.name))} from "
                f"{' or '.join(body['x-transition']['from'])} to {transitions[0].target}."
                + (f" Requires: {'; '.join(guards)}." if guards else "")
                + " Any other current state answers 409."
            )
    return body


def _success_text(op: Operation) -> str:
    return {
        "list": "One page of results.",
        "create": "Created.",
        "upload": "Stored.",
        "run": "Accepted: the run has started; poll it or listen for its events.",
        "update": "Updated.",
        "action": "The resource in its new state.",
    }.get(op.kind, "The resource.")


def _accepted_types(model: EntityModel | None) -> str:
    if model is not None:
        for f in model.fields:
            if f.name.endswith("content_type") and f.enum_values:
                return ", ".join(f.enum_values)
    return "application/octet-stream"


def build_openapi(
    title: str,
    description: str,
    data_model: DataModel,
    operations: Sequence[Operation],
    request_schemas: dict[str, dict[str, Any]],
    options: HttpOptions,
    tag_descriptions: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The OpenAPI 3.1 document for these operations over this data model."""
    models = {m.name: m for m in data_model.entities}
    components_parameters: dict[str, Any] = {
        "Cursor": {"name": "cursor", "in": "query", "required": False,
                   "description": "opaque cursor from the previous page's next_cursor",
                   "schema": {"type": "string"}},
        "Limit": {"name": "limit", "in": "query", "required": False, "description": "page size",
                  "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_LIMIT_MAX, "default": PAGE_LIMIT_DEFAULT}},
    }
    if options.concurrency:
        components_parameters["IfMatch"] = {
            "name": "If-Match", "in": "header", "required": False,
            "description": "the ETag last read; a stale value answers 412 instead of overwriting someone else's change",
            "schema": {"type": "string"}}
    if options.idempotency:
        components_parameters["IdempotencyKey"] = {
            "name": "Idempotency-Key", "in": "header", "required": False,
            "description": "a client-chosen unique key; a retried request with the same key returns the first result",
            "schema": {"type": "string", "maxLength": 255}}
    for model in data_model.entities:
        name, parameter = path_parameter(model)
        components_parameters[name[0].upper() + name[1:]] = parameter

    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        model = models.get(op.entity or "")
        parameters: list[dict[str, Any]] = []
        for placeholder in re.findall(r"\{(\w+)\}", op.path):
            parameters.append(_ref("parameters", placeholder[0].upper() + placeholder[1:]))
        if op.kind == "list" and model is not None:
            nested_by = None
            if op.path.count("{"):
                parent = re.findall(r"\{(\w+)Id\}", op.path)[-1]
                nested_by = next((f.name for f in model.fields if f.references and camel_case(f.references) == parent), None)
            parameters += [_ref("parameters", "Cursor"), _ref("parameters", "Limit")]
            parameters += _list_filters(model, nested_by)
        if options.concurrency and op.kind in ("update", "action", "delete") and model is not None and model.field("version"):
            parameters.append(_ref("parameters", "IfMatch"))
        if options.idempotency and op.kind in ("create", "run", "action", "upload"):
            parameters.append(_ref("parameters", "IdempotencyKey"))
        paths.setdefault(op.path, {})[op.method] = _operation_object(op, model, data_model, options, parameters)

    schemas: dict[str, Any] = {m.name: entity_schema(m) for m in data_model.entities}
    for op in operations:
        if op.kind == "list" and op.response_schema and op.entity in models:
            schemas.setdefault(op.response_schema, page_schema(models[op.entity]))
    schemas.update(request_schemas)
    schemas["Error"] = error_schema()

    used_errors = sorted({code for op in operations for code in op.error_statuses})
    responses = {
        ERROR_RESPONSES[code][0]: {
            "description": ERROR_RESPONSES[code][1],
            **({"headers": {"Retry-After": _ref("headers", "RetryAfter")}} if code in (429, 503) else {}),
            "content": {PROBLEM_JSON: {"schema": _ref("schemas", "Error")}},
        }
        for code in used_errors
    }
    headers: dict[str, Any] = {
        "Location": {"description": "URL of the created resource or of the content", "schema": {"type": "string", "format": "uri-reference"}},
        "RetryAfter": {"description": "seconds to wait before retrying", "schema": {"type": "integer", "minimum": 0}},
    }
    if options.concurrency:
        headers["ETag"] = {"description": "the resource version, for If-Match", "schema": {"type": "string"}}

    tags: list[dict[str, str]] = []
    for op in operations:
        for tag in (op.story, op.entity):
            if tag and tag not in {t["name"] for t in tags}:
                described = (tag_descriptions or {}).get(tag)
                tags.append({"name": tag, "description": described} if described else {"name": tag})
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": "0.1.0", "description": description},
        "servers": [{"url": options.server_url, "description": "this service, version 1 of the API"}],
        "security": [{options.security.name: []}],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": components_parameters,
            "responses": responses,
            "headers": headers,
            "securitySchemes": {options.security.name: _security_scheme(options.security)},
        },
    }
