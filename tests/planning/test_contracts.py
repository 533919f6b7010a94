"""build_contracts: interface kinds, a valid OpenAPI 3.1 document, events, GraphQL, protobuf, CLI."""

from __future__ import annotations

import re
import time
from functools import cache

import yaml
from datamodel_factory import approval_spec, cli_spec, context_for, decision, helpdesk_spec
from openapi_spec_validator import validate

from bot.planning.context import PlanningContext
from bot.planning.contracts import Contracts, InterfaceKind, build_contracts
from bot.planning.datamodel import build_data_model
from bot.planning.decisions import Category, TechnicalDecision
from bot.planning.spec import Requirement, Spec, UserStory
from bot.planning.stack import Stack


def contracts_for(context: PlanningContext, decisions: list[TechnicalDecision] | None = None) -> Contracts:
    decisions = decisions or []
    return build_contracts(context, build_data_model(context, decisions), decisions)


def load(text: str) -> dict:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def approval_contracts() -> Contracts:
    return contracts_for(context_for(approval_spec()))


def file_of(contracts: Contracts, path: str) -> str:
    found = [f.content for f in contracts.files if f.path == path]
    assert found, f"{path} missing from {[f.path for f in contracts.files]}"
    return found[0]


def openapi_of(contracts: Contracts) -> dict:
    return load(file_of(contracts, "contracts/openapi.yaml"))


def test_web_spec_gets_a_valid_openapi_31_document() -> None:
    contracts = approval_contracts()
    assert InterfaceKind.HTTP in contracts.kinds
    document = openapi_of(contracts)
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on an invalid document; about 1 s for this 27-operation document


def test_openapi_with_a_document_store_and_websocket_is_valid_too() -> None:
    decisions = [
        decision(2, "primary-datastore", "MongoDB", ["document-store"], category=Category.DATA),
        decision(3, "realtime-transport", "WebSockets", ["websocket"], category=Category.INTEGRATION),
    ]
    validate(openapi_of(contracts_for(context_for(helpdesk_spec(), constitution=False), decisions)))


def test_every_entity_has_a_schema_of_the_same_name_and_errors_are_problem_json() -> None:
    context = context_for(approval_spec())
    data_model = build_data_model(context, [])
    document = openapi_of(build_contracts(context, data_model, []))
    schemas = document["components"]["schemas"]
    for entity in data_model.entities:
        assert entity.name in schemas
        properties = schemas[entity.name]["properties"]
        assert "id" in properties and "storage_key" not in properties  # storage keys stay internal
    assert set(schemas["Error"]["required"]) == {"type", "title", "status"}
    helpers = [n for n in schemas if data_model.entity(n) is None]
    assert all(n == "Error" or n.endswith(("Page", "Create", "Update", "Request")) for n in helpers)
    not_found = document["components"]["responses"]["NotFound"]
    assert "application/problem+json" in not_found["content"]


def test_operations_follow_naming_rules_and_trace_to_stories_and_requirements() -> None:
    contracts = approval_contracts()
    document = openapi_of(contracts)
    ids = [op.operation_id for op in contracts.operations]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", i) for i in ids)
    for path in document["paths"]:
        for segment in path.strip("/").split("/"):
            assert re.fullmatch(r"[a-z][a-z0-9-]*|\{[a-z][A-Za-z0-9]*Id\}", segment), segment
    assert "/expense-reports/{expenseReportId}" in document["paths"]
    submit = document["paths"]["/expense-reports/{expenseReportId}/submit"]["post"]
    assert submit["operationId"] == "submitExpenseReport"
    assert "US1" in submit["tags"]
    assert submit["x-transition"] == {"field": "status", "from": ["Draft", "Rejected"], "to": "Submitted"}
    assert "409" in submit["responses"]
    reject = document["paths"]["/expense-reports/{expenseReportId}/reject"]["post"]
    assert reject["x-requirements"] == ["FR-005"] and "US2" in reject["tags"]
    assert reject["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("RejectExpenseReportRequest")
    tag_names = {t["name"] for t in document["tags"]}
    assert {"US1", "US2"} <= tag_names
    assert all(op.requirements for op in contracts.operations)


def test_lists_paginate_and_filter() -> None:
    document = openapi_of(approval_contracts())
    listing = document["paths"]["/expense-reports"]["get"]
    names = [p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in listing["parameters"]]
    assert {"Cursor", "Limit", "status", "employeeId"} <= set(names)
    page = document["components"]["schemas"]["ExpenseReportPage"]
    assert page["required"] == ["items", "next_cursor"]
    nested = document["paths"]["/expense-reports/{expenseReportId}/expense-lines"]
    assert {"get", "post"} <= set(nested)


def test_files_upload_as_multipart_with_size_and_type_errors() -> None:
    document = openapi_of(approval_contracts())
    upload = document["paths"]["/expense-lines/{expenseLineId}/receipts"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"413", "415"} <= set(upload["responses"])
    receipt = document["components"]["schemas"]["Receipt"]["properties"]
    assert receipt["file_size"]["maximum"] == 20 * 1024 * 1024
    assert "download_url" in receipt


def test_security_scheme_from_spec_or_decision() -> None:
    oidc = openapi_of(approval_contracts())
    assert oidc["components"]["securitySchemes"]["oidc"]["type"] == "openIdConnect"
    bearer = openapi_of(contracts_for(context_for(helpdesk_spec())))
    assert bearer["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    td = decision(6, "authentication", "OpenID Connect", ["oidc"], category=Category.SECURITY)
    decided = openapi_of(contracts_for(context_for(helpdesk_spec()), [td]))
    assert "TD006" in decided["components"]["securitySchemes"]["oidc"]["description"]


def test_events_contract_is_asyncapi_yaml_naming_the_channel() -> None:
    contracts = approval_contracts()
    assert InterfaceKind.EVENTS in contracts.kinds
    document = load(file_of(contracts, "contracts/events.yaml"))
    assert document["asyncapi"] == "3.0.0"
    live = document["channels"]["liveUpdates"]
    assert live["address"] == "/api/v1/events"  # SSE when no decision names a transport
    names = {e.name for e in contracts.events}
    assert "expense_report.status_changed" in names
    status = next(e for e in contracts.events if e.name == "expense_report.status_changed")
    assert status.channel == "/api/v1/events" and "FR-011" in status.requirements
    message = document["components"]["messages"]["expenseReportStatusChanged"]
    payload = message["payload"]["properties"]
    assert payload["to_status"]["enum"] == ["Draft", "Submitted", "Approved", "Rejected", "Exported"]
    assert "expense_report_id" in payload
    assert payload["data"]["$ref"] == "openapi.yaml#/components/schemas/ExpenseReport"
    for operation in document["operations"].values():
        channel = operation["channel"]["$ref"].rsplit("/", 1)[-1]
        assert channel in document["channels"]


def test_websocket_decision_sets_the_channel() -> None:
    td = decision(3, "realtime-transport", "WebSockets", ["websocket"], category=Category.INTEGRATION)
    contracts = contracts_for(context_for(helpdesk_spec()), [td])
    document = load(file_of(contracts, "contracts/events.yaml"))
    live = document["channels"]["liveUpdates"]
    assert live["address"] == "/api/v1/ws" and "ws" in live["bindings"]
    assert document["servers"]["app"]["protocol"] == "wss"
    assert contracts.events[0].name == "ticket.status_changed"


def test_cli_only_spec_gets_cli_md_and_no_openapi() -> None:
    contracts = contracts_for(context_for(cli_spec(), constitution=False, short_name="log-compactor"))
    assert contracts.kinds == [InterfaceKind.CLI]
    paths = [f.path for f in contracts.files]
    assert paths == ["contracts/cli.md"]
    text = file_of(contracts, "contracts/cli.md")
    assert "`logc compact`" in text and "`--dry-run`" in text
    assert "## Exit Codes" in text and contracts.error_codes[2].startswith("usage error")
    assert contracts.operations[0].method == "command" and contracts.operations[0].story == "US1"


def test_graphql_decision_writes_sdl_instead_of_openapi() -> None:
    td = decision(1, "api-style", "GraphQL", ["graphql"], category=Category.INTEGRATION)
    contracts = contracts_for(context_for(helpdesk_spec()), [td])
    paths = [f.path for f in contracts.files]
    assert "contracts/schema.graphql" in paths and "contracts/openapi.yaml" not in paths
    sdl = file_of(contracts, "contracts/schema.graphql")
    assert re.search(r"^type Ticket \{$", sdl, re.M) and "enum TicketStatus {" in sdl
    assert "  IN_PROGRESS" in sdl and "type Query {" in sdl and "type Mutation {" in sdl
    assert sdl.count("{") == sdl.count("}")
    assert {op.method for op in contracts.operations} <= {"query", "mutation"}


def test_grpc_decision_writes_protobuf() -> None:
    td = decision(1, "api-style", "gRPC", ["grpc"], category=Category.INTEGRATION)
    contracts = contracts_for(context_for(helpdesk_spec(), short_name="support-desk"), [td])
    proto = file_of(contracts, "contracts/service.proto")
    assert proto.startswith('syntax = "proto3";') and "package support_desk.v1;" in proto
    assert "service SupportDeskService {" in proto and "rpc ListTickets(ListTicketsRequest) returns (ListTicketsResponse);" in proto
    assert "TICKET_STATUS_UNSPECIFIED = 0;" in proto
    assert proto.count("{") == proto.count("}")


def test_library_spec_gets_api_md() -> None:
    spec = Spec(
        title="Date Parsing Helpers", format="free-form", summary="A small library that other packages import.",
        stories=[UserStory(id="US1", title="Parse a relative date", priority=1, description="A developer imports the library.")],
        requirements=[Requirement(id="FR-001", text="The library MUST parse relative dates such as 'next Monday'.")],
    )
    contracts = contracts_for(context_for(spec, constitution=False, stack=Stack(languages=["Python 3.12"])))
    assert contracts.kinds == [InterfaceKind.LIBRARY]
    text = file_of(contracts, "contracts/api.md")
    assert "parse_a_relative_date(" in text and "## Errors" in text


def test_generation_is_fast() -> None:
    context = context_for(approval_spec())
    data_model = build_data_model(context, [])
    build_contracts(context, data_model, [])
    started = time.perf_counter()
    for _ in range(3):
        build_contracts(context, data_model, [])
    assert (time.perf_counter() - started) / 3 < 0.2
