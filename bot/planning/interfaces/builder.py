"""`build_contracts`: every contract file of a feature, from its context, data model and decisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from bot.planning.artifacts import CONTRACTS_DIR
from bot.planning.context import PlanningContext
from bot.planning.contracts import ContractFile, Contracts, EventContract, InterfaceKind, Operation
from bot.planning.datamodel import DataModel
from bot.planning.decisions import TechnicalDecision
from bot.planning.interfaces.cli import EXIT_CODES, cli_commands, tool_name
from bot.planning.interfaces.events import (
    DomainEvent,
    broker_protocol,
    build_asyncapi,
    domain_events,
    realtime_transport,
)
from bot.planning.interfaces.graphql import build_graphql
from bot.planning.interfaces.kinds import REALTIME_CUE, corpus_text, interface_kinds
from bot.planning.interfaces.library import library_functions
from bot.planning.interfaces.protobuf import build_proto
from bot.planning.interfaces.rest import http_options, plan_operations
from bot.planning.modeling.concerns import decision_for, has_trait
from bot.planning.modeling.words import camel_case, pascal_case
from bot.planning.openapi import ERROR_RESPONSES, build_openapi
from bot.planning.render import render_template


_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: same output, much faster


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True, width=110)


def build_contracts(context: PlanningContext, data_model: DataModel, decisions: Sequence[TechnicalDecision]) -> Contracts:
    """The interface contracts: OpenAPI for a REST interface (GraphQL SDL or protobuf when the API
    style decision chose those), AsyncAPI for events, Markdown for a CLI or a library."""
    spec = context.spec
    kinds = interface_kinds(context, decisions)
    options = http_options(context, data_model, decisions)
    plan = plan_operations(context, data_model, options)
    files: list[ContractFile] = []
    operations: list[Operation] = []
    title = spec.title
    description = " ".join(spec.summary.split()) or f"The interface of {title}."
    api_style = decision_for(decisions, "api-style")
    graphql = has_trait(api_style, r"graphql")
    grpc = has_trait(api_style, r"\bgrpc\b|protobuf")
    rest = not (graphql or grpc) or has_trait(api_style, r"\b(rest|restful|openapi)\b")
    has_http = InterfaceKind.HTTP in kinds and rest
    realtime_events: list[DomainEvent] = []
    if InterfaceKind.EVENTS in kinds:
        realtime = bool(REALTIME_CUE.search(corpus_text(context))) or decision_for(decisions, "realtime") is not None
        realtime_events = domain_events(context, data_model, realtime, has_http)
    if InterfaceKind.HTTP in kinds:
        tags = {s.id: f"{s.title} (P{s.priority})" for s in spec.stories}
        tags.update({m.name: m.description for m in data_model.entities if m.description})
        if rest:
            document = build_openapi(f"{title} API", description, data_model, plan.operations, plan.request_schemas, options, tags)
            files.append(ContractFile(path=f"{CONTRACTS_DIR}/openapi.yaml", kind="openapi", content=_dump(document)))
            operations += plan.operations
        if graphql:
            files.append(ContractFile(path=f"{CONTRACTS_DIR}/schema.graphql", kind="graphql",
                                      content=build_graphql(title, data_model, plan.operations, realtime_events)))
            if not rest:
                operations += [op.model_copy(update={"method": "mutation" if op.method != "get" else "query",
                                                     "path": f"{'Query' if op.method == 'get' else 'Mutation'}.{op.operation_id}"})
                               for op in plan.operations]
        if grpc:
            files.append(ContractFile(path=f"{CONTRACTS_DIR}/service.proto", kind="protobuf",
                                      content=build_proto(context, data_model, plan.operations)))
            if not rest and not graphql:
                service = pascal_case(context.feature.short_name) or "Feature"
                operations += [op.model_copy(update={"method": "rpc", "path": f"/{service}Service/{pascal_case(op.operation_id)}"})
                               for op in plan.operations]
    events: list[EventContract] = []
    if InterfaceKind.EVENTS in kinds:
        transport = realtime_transport(decisions) if any(e.realtime for e in realtime_events) else None
        broker = broker_protocol(decisions, context)
        document = build_asyncapi(title, realtime_events, transport, broker, data_model, has_http)
        files.append(ContractFile(path=f"{CONTRACTS_DIR}/events.yaml", kind="events", content=_dump(document)))
        for event in realtime_events:
            channel = transport.address if event.realtime and transport is not None else event.name
            events.append(EventContract(name=event.name, summary=event.summary, entity=event.entity, channel=channel,
                                        requirements=event.requirements))
    error_codes: dict[int, str] = {}
    if InterfaceKind.HTTP in kinds:
        for code in sorted({c for op in operations for c in op.error_statuses}):
            error_codes[code] = ERROR_RESPONSES[code][1]
    if InterfaceKind.CLI in kinds:
        commands = cli_commands(context, data_model, plan.operations if data_model.entities else [])
        content = render_template("contracts-cli.md.j2", spec=spec, tool=tool_name(context), commands=commands,
                                  exit_codes=EXIT_CODES, data_model=data_model)
        files.append(ContractFile(path=f"{CONTRACTS_DIR}/cli.md", kind="cli", content=content))
        if InterfaceKind.HTTP not in kinds:
            operations += [Operation(operation_id=camel_case(c.command.split(" ", 1)[-1]), method="command",
                                     path=c.command, summary=c.summary, kind="command", story=c.story,
                                     requirements=c.requirements) for c in commands]
            error_codes = {code: meaning for code, meaning in EXIT_CODES.items()}
    if InterfaceKind.LIBRARY in kinds:
        language, functions = library_functions(context, data_model, plan.operations if data_model.entities else [])
        content = render_template("contracts-library.md.j2", spec=spec, language=language, functions=functions,
                                  data_model=data_model)
        files.append(ContractFile(path=f"{CONTRACTS_DIR}/api.md", kind="library", content=content))
        operations += [Operation(operation_id=f.name, method="call", path=f.signature, summary=f.summary,
                                 kind="function", story=f.story, requirements=f.requirements) for f in functions]
    return Contracts(kinds=kinds, operations=operations, events=events, files=files, error_codes=error_codes)
