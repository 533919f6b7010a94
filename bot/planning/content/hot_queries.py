"""The queries the contract's list operations run, and whether the data model's indexes cover them."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.planning.contracts import Operation
from bot.planning.datamodel import EntityModel
from bot.planning.plan import Plan

_PARAM = re.compile(r"\{(\w+)\}")


class HotQuery(BaseModel):
    operation: Operation
    entity: str
    table: str
    filters: list[str] = Field(default_factory=list)  # columns the query filters on, in index order
    covered_by: str | None = None  # the index (or key) that serves the filters
    suggested_index: str | None = None  # a composite index to add when none covers the filters

    @property
    def covered(self) -> bool:
        return self.covered_by is not None


def snake(name: str) -> str:
    """`orderLineId` -> `order_line_id`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).replace("-", "_").lower()


HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def is_http_operation(operation: Operation) -> bool:
    """An operation of the REST interface (not a CLI command or a library function)."""
    return operation.method.lower() in HTTP_METHODS and operation.kind not in ("command", "function")


def is_list_operation(operation: Operation) -> bool:
    """A read of a collection: the contract says so, else a GET on a path that does not end with an id."""
    if not is_http_operation(operation):
        return False
    if operation.kind:
        return operation.kind == "list"
    return operation.method.lower() == "get" and not operation.path.rstrip("/").endswith("}")


def _filters(operation: Operation, entity: EntityModel) -> list[str]:
    columns = {f.name for f in entity.fields}
    filters = [snake(p) for p in _PARAM.findall(operation.path) if snake(p) in columns]
    status = entity.state_machine.field if entity.state_machine and entity.state_machine.field in columns else None
    if status:
        filters.append(status)  # work queues and lists by state
    if not filters:
        owner = next((f.name for f in entity.fields if f.references and not f.primary_key), None)
        if owner:
            filters.append(owner)  # a top-level list is scoped to the records the caller relates to
    return filters


def _coverage(entity: EntityModel, filters: list[str]) -> str | None:
    if not filters:
        return "a full scan, bounded by pagination"
    for index in entity.indexes:
        if set(index.columns[: len(filters)]) == set(filters):
            return index.name
    if len(filters) == 1:
        field = next((f for f in entity.fields if f.name == filters[0]), None)
        if field and (field.indexed or field.unique or field.primary_key):
            return f"the index on {field.name}"
    for index in entity.indexes:  # a leading column narrows the scan, the rest filters the rows
        if index.columns and index.columns[0] == filters[0]:
            return f"{index.name} (leading column only)"
    return None


def hot_queries(plan: Plan) -> list[HotQuery]:
    out: list[HotQuery] = []
    for operation in plan.contracts.operations:
        if not is_list_operation(operation) or not operation.entity:
            continue
        entity = plan.data_model.entity(operation.entity)
        if entity is None:
            continue
        filters = _filters(operation, entity)
        covered = _coverage(entity, filters)
        suggested = None if covered else f"ix_{entity.table}_{'_'.join(filters)}"
        out.append(HotQuery(operation=operation, entity=entity.name, table=entity.table, filters=filters,
                            covered_by=covered, suggested_index=suggested))
    return out
