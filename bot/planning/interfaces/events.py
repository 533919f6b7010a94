"""Domain events and their AsyncAPI 3.0 document: status changes, finished runs and stored files,
on the real-time transport chosen (WebSocket, SSE, long polling) and the message broker."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.planning.context import PlanningContext
from bot.planning.datamodel import DataModel, EntityModel
from bot.planning.decisions import TechnicalDecision
from bot.planning.interfaces.kinds import NOTIFY_CUE, PROCESSING_CUE, REALTIME_CUE
from bot.planning.interfaces.rest import article, spoken_name
from bot.planning.modeling.concerns import decision_for, has_trait, traits_of
from bot.planning.modeling.names import name_index
from bot.planning.modeling.words import camel_case, pascal_case, snake_case
from bot.planning.openapi import entity_schema
from bot.planning.spec import Spec


ASYNCAPI_VERSION = "3.0.0"


@dataclass(frozen=True)
class Transport:
    kind: str  # "websocket", "sse", "long-polling"
    protocol: str  # AsyncAPI protocol name
    address: str
    source: str  # "TD003" or "no realtime-transport decision: …"


def realtime_transport(decisions: Sequence[TechnicalDecision]) -> Transport:
    td = decision_for(decisions, "realtime")
    if has_trait(td, r"websocket"):
        return Transport("websocket", "wss", "/api/v1/ws", td.id)  # type: ignore[union-attr]
    if has_trait(td, r"long-poll|polling"):
        return Transport("long-polling", "https", "/api/v1/events/poll", td.id)  # type: ignore[union-attr]
    if td is not None:
        return Transport("sse", "https", "/api/v1/events", td.id)
    return Transport("sse", "https", "/api/v1/events", "no realtime-transport decision: Server-Sent Events assumed, "
                     "the simplest one-way push over plain HTTP")


def broker_protocol(decisions: Sequence[TechnicalDecision], context: PlanningContext) -> tuple[str, str] | None:
    """`(protocol, source)` of the message broker, when a decision or the stack names one."""
    td = decision_for(decisions, "messaging")
    traits = " ".join(traits_of(td))
    for pattern, protocol in ((r"kafka", "kafka"), (r"rabbit|amqp", "amqp"), (r"\bsqs\b", "sqs"), (r"\bsns\b", "sns"),
                              (r"nats", "nats"), (r"pubsub|pub-sub", "googlepubsub"), (r"redis|\brq\b|celery", "redis"),
                              (r"mqtt", "mqtt")):
        if re.search(pattern, traits, re.I) or (td is not None and re.search(pattern, td.effective.title, re.I)):
            return protocol, td.id  # type: ignore[union-attr]
    if td is not None:
        stack = " ".join(context.stack.databases + context.stack.services)
        if re.search(r"redis|valkey", stack, re.I):
            return "redis", f"{td.id}, Redis from the stack"
    return None


@dataclass
class DomainEvent:
    name: str  # "expense_report.status_changed"
    key: str  # "expenseReportStatusChanged"
    summary: str
    entity: str | None
    payload: dict[str, Any]
    requirements: list[str]
    realtime: bool  # pushed to clients
    queued: bool  # published to the broker for workers


def _event_requirements(spec: Spec, model: EntityModel | None, pattern: re.Pattern[str], single: bool) -> list[str]:
    found = []
    named = None
    if model is not None:
        named = name_index([model.name])[0]
    for requirement in spec.requirements:
        if not pattern.search(requirement.text):
            continue
        if named is None or single or named.mentioned_in(requirement.text):
            found.append(requirement.id)
    return found


def _entity_ref(model: EntityModel, has_http: bool) -> dict[str, Any]:
    if has_http:
        return {"$ref": f"openapi.yaml#/components/schemas/{model.name}"}
    return {"$ref": f"#/components/schemas/{model.name}"}


def _envelope(model: EntityModel) -> dict[str, Any]:
    """The properties every event about one entity opens with: the event's id and time, the entity's id."""
    return {
        "event_id": {"type": "string", "format": "uuid"},
        "occurred_at": {"type": "string", "format": "date-time"},
        f"{snake_case(model.name)}_id": {"type": "string", "format": "uuid", "description": f"{model.name}.id"},
    }


def _entity_event(
    model: EntityModel, action: str, what_happened: str, payload: dict[str, Any], requirements: list[str], *,
    realtime: bool,
) -> DomainEvent:
    """A queued event about one entity, named `<entity>.<action>` and summarised as
    `<an entity> <what happened>`."""
    return DomainEvent(
        name=f"{snake_case(model.name)}.{action}",
        key=camel_case(model.name) + pascal_case(action),
        summary=f"{article(spoken_name(model.name)).capitalize()} {what_happened}",
        entity=model.name,
        payload=payload,
        requirements=requirements,
        realtime=realtime,
        queued=True,
    )


def domain_events(context: PlanningContext, data_model: DataModel, realtime: bool, has_http: bool) -> list[DomainEvent]:
    spec = context.spec
    events: list[DomainEvent] = []
    machines = [m for m in data_model.entities if m.state_machine is not None]
    person = next((m.name for m in data_model.entities if m.kind == "person"), None)
    for model in machines:
        machine = model.state_machine
        assert machine is not None
        envelope = _envelope(model)
        envelope["event_id"]["description"] = "unique per event; consumers de-duplicate on it"
        payload: dict[str, Any] = {
            "type": "object",
            "required": [*envelope, "to_status"],
            "properties": {
                **envelope,
                "from_status": {"type": ["string", "null"], "enum": [*machine.states, None],
                                "description": f"{model.name}.{machine.field} before the change"},
                "to_status": {"type": "string", "enum": list(machine.states),
                              "description": f"{model.name}.{machine.field} after the change"},
                "changed_by": {"type": ["string", "null"], "format": "uuid",
                               "description": f"{person}.id of who acted; null for the system" if person else "who acted; null for the system"},
                "data": {**_entity_ref(model, has_http), "description": f"the {model.name} after the change"},
            },
        }
        events.append(_entity_event(
            model, "status_changed", "moved from one status to another.", payload,
            _event_requirements(spec, model, NOTIFY_CUE, len(machines) == 1), realtime=realtime,
        ))
    for model in data_model.entities:
        if model.kind == "run":
            result = next((f for f in model.fields if f.name in ("result", "outcome", "status")), None)
            envelope = _envelope(model)
            properties: dict[str, Any] = {
                **envelope,
                "data": {**_entity_ref(model, has_http), "description": f"the {model.name} as it finished"},
            }
            if result is not None:
                properties[result.name] = {"type": "string", "description": f"{model.name}.{result.name}"}
            events.append(_entity_event(
                model, "completed", "finished, successfully or not.",
                {"type": "object", "required": list(envelope), "properties": properties},
                list(model.requirements), realtime=realtime,
            ))
        if model.kind == "file":
            processing = [r.id for r in spec.requirements if r.id in model.requirements and PROCESSING_CUE.search(r.text)]
            if not processing:
                continue
            content = next((f for f in model.fields if f.name.endswith("content_type")), None)
            properties = _envelope(model)
            if content is not None:
                properties[content.name] = {"type": "string", "description": f"{model.name}.{content.name}"}
            events.append(_entity_event(
                model, "uploaded", "was stored and waits for background processing.",
                {"type": "object", "required": list(properties), "properties": properties},
                processing, realtime=False,
            ))
    if not events:
        requirements = [r.id for r in spec.requirements if NOTIFY_CUE.search(r.text) or REALTIME_CUE.search(r.text)]
        events.append(DomainEvent(
            name="resource.changed",
            key="resourceChanged",
            summary="Something a client shows was created or changed; the client refetches or patches its view.",
            entity=None,
            payload={"type": "object", "required": ["event_id", "occurred_at", "resource_type", "resource_id", "change"],
                     "properties": {
                         "event_id": {"type": "string", "format": "uuid"},
                         "occurred_at": {"type": "string", "format": "date-time"},
                         "resource_type": {"type": "string"},
                         "resource_id": {"type": "string"},
                         "change": {"type": "string", "enum": ["created", "updated", "deleted"]},
                     }},
            requirements=requirements,
            realtime=True,
            queued=False,
        ))
    return events


def build_asyncapi(title: str, events: Sequence[DomainEvent], transport: Transport | None, broker: tuple[str, str] | None,
                   data_model: DataModel, has_http: bool) -> dict[str, Any]:
    servers: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for event in events:
        message: dict[str, Any] = {
            "name": event.name,
            "title": event.name,
            "summary": event.summary,
            "contentType": "application/json",
            "payload": event.payload,
        }
        if event.requirements:
            message["x-requirements"] = event.requirements
        messages[event.key] = message
    pushed = [e for e in events if e.realtime]
    if transport is not None and pushed:
        servers["app"] = {
            "host": "{host}",
            "protocol": transport.protocol,
            "description": f"this service ({transport.kind}; {transport.source})",
            "variables": {"host": {"default": "localhost:8000", "description": "the deployment's API host"}},
        }
        channel: dict[str, Any] = {
            "address": transport.address,
            "title": "Live updates",
            "description": _transport_text(transport),
            "servers": [{"$ref": "#/servers/app"}],
            "messages": {e.key: {"$ref": f"#/components/messages/{e.key}"} for e in pushed},
        }
        if transport.kind == "websocket":
            channel["bindings"] = {"ws": {"method": "GET", "bindingVersion": "0.1.0"}}
        channels["liveUpdates"] = channel
        operations["pushLiveUpdates"] = {
            "action": "send",
            "channel": {"$ref": "#/channels/liveUpdates"},
            "summary": "The service pushes each event to the connected clients allowed to read the entity.",
            "messages": [{"$ref": f"#/channels/liveUpdates/messages/{e.key}"} for e in pushed],
        }
    queued = [e for e in events if e.queued]
    if queued:
        if broker is not None:
            servers["broker"] = {
                "host": "{brokerHost}",
                "protocol": broker[0],
                "description": f"the message broker ({broker[1]})",
                "variables": {"brokerHost": {"default": "localhost", "description": "the broker's host and port"}},
            }
        for event in queued:
            key = event.key
            channel = {
                "address": event.name,
                "title": event.name,
                "description": "Published through a transactional outbox after the change commits; delivered at "
                               "least once, so consumers de-duplicate on event_id.",
                "messages": {key: {"$ref": f"#/components/messages/{key}"}},
            }
            if broker is not None:
                channel["servers"] = [{"$ref": "#/servers/broker"}]
            channels[key] = channel
            operations[f"publish{key[0].upper()}{key[1:]}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{key}"},
                "summary": f"Publish {event.name} when it happens.",
                "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
            }
            operations[f"consume{key[0].upper()}{key[1:]}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{key}"},
                "summary": f"Workers react to {event.name} (notifications, processing, projections).",
                "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
            }
    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": f"{title} events", "version": "0.1.0",
                 "description": "Domain events of this feature: what is pushed to clients and what workers consume."},
        "defaultContentType": "application/json",
    }
    if servers:
        document["servers"] = servers
    document["channels"] = channels
    document["operations"] = operations
    components: dict[str, Any] = {"messages": messages}
    if not has_http:
        referenced = {e.entity for e in events if e.entity}
        schemas = {m.name: entity_schema(m) for m in data_model.entities if m.name in referenced}
        if schemas:
            components["schemas"] = schemas
    document["components"] = components
    return document


def _transport_text(transport: Transport) -> str:
    if transport.kind == "websocket":
        return ("WebSocket connection, authenticated with the same access token as the API; the client sends "
                "`{\"subscribe\": \"<entity>:<id>\"}` frames and receives JSON frames `{\"event\": name, \"data\": payload}`.")
    if transport.kind == "long-polling":
        return ("Long polling: GET with `?after=<last event_id>` is held open up to 30 s and returns the events since; "
                "works through proxies that cut idle connections.")
    return ("Server-Sent Events (text/event-stream): each event's `event:` field is the message name and `data:` its "
            "JSON payload; `id:` carries event_id so a reconnecting client resumes with Last-DomainEvent-ID. A comment "
            "heartbeat every 15 s keeps proxies from closing the idle stream.")
