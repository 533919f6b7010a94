"""data-model.md: an ER diagram, and its entities matching the OpenAPI contract's schemas."""

from __future__ import annotations

import re

from collections.abc import Iterator, Mapping
from typing import Any

from bot.planning.artifacts import DATA_MODEL
from bot.planning.validation.findings import Finding, error, warning
from bot.planning.validation.folder import PlanFolder
from bot.planning.validation.structured import line_of_path

# Schemas that wrap or describe entities rather than being one.
HELPER_SUFFIXES: tuple[str, ...] = (
    "Request",
    "Response",
    "Input",
    "Page",
    "List",
    "Error",
    "Problem",
    "Create",
    "Update",
    "Patch",
    "Summary",
    "Params",
    "Payload",
    "Result",
    "Event",
    "Envelope",
)
HELPER_NAMES: frozenset[str] = frozenset({"Pagination", "PageInfo", "Link", "Links", "Meta", "Cursor", "Money"})
NO_ENTITIES = re.compile(r"\*\*Entities\*\*:\s*0\b")  # the header of a data model with nothing to store
SCALAR_TYPES: frozenset[str] = frozenset({"string", "integer", "number", "boolean", "array"})


def check(folder: PlanFolder) -> Iterator[Finding]:
    doc = folder.artifact_doc(DATA_MODEL)
    if doc is None:
        return
    if not folder.er_diagrams:
        if not any(NO_ENTITIES.search(line) for line in doc.lines):  # no stored data: it says so instead
            yield error(doc.path, 1, "erd-missing", "no ```mermaid block with an erDiagram")
        return
    openapi = folder.openapi
    if openapi is None or not isinstance(openapi.data, Mapping):
        return
    components = openapi.data.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    schemas = schemas if isinstance(schemas, Mapping) else {}
    for entity, line in folder.entities.items():
        if entity not in schemas:
            yield error(
                doc.path, line, "entity-no-schema", f"entity {entity} has no schema of that name in {openapi.path} components.schemas"
            )
    for name, schema in schemas.items():
        if str(name) in folder.entities or not _looks_like_entity(str(name), schema):
            continue
        line = line_of_path(openapi.text, ["components", "schemas", str(name)]) or 1
        yield warning(
            openapi.path, line, "schema-no-entity", f"schema {name} looks like an entity but data-model.md's erDiagram has no {name}"
        )


def _looks_like_entity(name: str, schema: Any) -> bool:
    if name in HELPER_NAMES or name.endswith(HELPER_SUFFIXES):
        return False
    if isinstance(schema, Mapping) and ("enum" in schema or schema.get("type") in SCALAR_TYPES):
        return False
    return True
