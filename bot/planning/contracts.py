"""Interface contracts derived from the stories, the entities and the decisions.

The models live here; `build_contracts` decides which interfaces the feature has (REST, events,
CLI, library) and writes their contract files (the work is done in `bot.planning.interfaces`):
OpenAPI 3.1 (built by `bot.planning.openapi`), AsyncAPI 3.0 for events, GraphQL SDL or protobuf
when the API style decision chose them, and Markdown for command-line and library interfaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from bot.planning.context import PlanningContext
    from bot.planning.datamodel import DataModel
    from bot.planning.decisions import TechnicalDecision


class InterfaceKind(StrEnum):
    HTTP = "http"  # a REST API: contracts/openapi.yaml
    EVENTS = "events"  # messages or WebSocket/SSE events: contracts/events.yaml (AsyncAPI-like)
    CLI = "cli"  # a command-line tool: contracts/cli.md
    LIBRARY = "library"  # an in-process API: contracts/api.md


class Operation(BaseModel):
    operation_id: str  # "submitExpenseReport"
    method: str  # "post"
    path: str  # "/expense-reports/{expenseReportId}/submit"
    summary: str
    story: str | None = None  # "US1"
    requirements: list[str] = Field(default_factory=list)  # FR ids it serves
    entity: str | None = None
    request_schema: str | None = None  # component schema name
    response_schema: str | None = None
    success_status: int = 200
    error_statuses: list[int] = Field(default_factory=list)
    # what it does: "list", "get", "create", "update", "delete", "action" (a state transition),
    # "upload", "download", "run" (starts a job); "command" or "function" for CLI and library
    kind: str = ""


class EventContract(BaseModel):
    name: str  # "expense_report.status_changed"
    summary: str
    entity: str | None = None
    channel: str = ""  # transport-specific address, e.g. a topic or a WebSocket path
    requirements: list[str] = Field(default_factory=list)


class ContractFile(BaseModel):
    path: str  # relative to the feature directory, e.g. "contracts/openapi.yaml"
    kind: str  # "openapi", "events", "graphql", "protobuf", "cli", "library"
    content: str


class Contracts(BaseModel):
    kinds: list[InterfaceKind] = Field(default_factory=list)
    operations: list[Operation] = Field(default_factory=list)
    events: list[EventContract] = Field(default_factory=list)
    files: list[ContractFile] = Field(default_factory=list)
    error_codes: dict[int, str] = Field(default_factory=dict)  # status -> meaning

    @cached_property
    def responses_by_entity(self) -> dict[str, list[str]]:
        """Entity name -> the ids of the operations that return it, in order."""
        out: dict[str, list[str]] = {}
        for operation in self.operations:
            if operation.entity and operation.response_schema:
                out.setdefault(operation.entity, []).append(operation.operation_id)
        return out


def build_contracts(context: PlanningContext, data_model: DataModel, decisions: Sequence[TechnicalDecision]) -> Contracts:
    """The interface contracts: OpenAPI for a REST interface (GraphQL SDL or protobuf when the API
    style decision chose those), AsyncAPI for events, Markdown for a CLI or a library."""
    from bot.planning.interfaces.builder import build_contracts as build

    return build(context, data_model, decisions)
