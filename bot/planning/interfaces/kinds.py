"""Which interfaces a feature exposes (REST, events, CLI, library), from the spec's wording, the
decisions and the stack."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.planning.context import PlanningContext
from bot.planning.contracts import InterfaceKind
from bot.planning.decisions import TechnicalDecision
from bot.planning.modeling.concerns import decision_for, has_trait


_WEB_CUE = re.compile(
    r"\b(?:web|website|web ?app|ui|user interface|pages?|dashboards?|browsers?|portal|screens?|mobile app|frontend|"
    r"front-end|endpoints?|https?|rest|restful|webhooks?|graphql|grpc|single sign-on|sso|oidc|sign in|log in|forms?)\b",
    re.I,
)
_API_CUE = re.compile(r"\bAPIs?\b")
_CLI_CUE = re.compile(
    r"\b(?:command[- ]line|CLI|terminal|shell|sub-?commands?|stdout|stderr|exit (?:code|status)|console)\b|`--[a-z]|\s--[a-z][\w-]+",
    re.I,
)
_LIBRARY_CUE = re.compile(r"\b(?:library|SDK|crate|gem|npm package|python package|importable|bindings|public API of)\b", re.I)
_EVENT_CUE = re.compile(
    r"real[- ]?time|\blive\b|without (?:re)?load\w*|without refresh\w*|\bpush\b|\bnotif(?:y|ies|ied|ication|ications)\b|"
    r"\bwebhooks?\b|\bqueues?\b|\basynchronous\w*|\bbackground\b|\bnightly\b|\bscheduled\b|\bexports?\b|\bstream\w*|"
    r"\bsubscri\w*|\bpublish\w*|\bevent-driven\b|\bmessage broker\b",
    re.I,
)
REALTIME_CUE = re.compile(r"real[- ]?time|\blive\b|without (?:re)?load\w*|without refresh\w*|\bpush\b|\bappear\w* (?:on|in)\b.*\bwithin\b", re.I)
NOTIFY_CUE = re.compile(r"\bnotif\w*|real[- ]?time|status change|\blive\b|\bpush\b|\bwebhooks?\b", re.I)
PROCESSING_CUE = re.compile(r"\bextract\w*|\bOCR\b|\bscan\w*|\bprocess\w*|\bthumbnail\w*|\bconvert\w*|\bvirus\w*|\bmalware\b|\btranscod\w*|\bparse\w*", re.I)
EXTERNAL_CUE = re.compile(r"\bAPI\b|\bintegration\b|\bexternal\b|\bthird[- ]party\b|\bprovider\b|\bgateway\b|\bdirectory\b", re.I)
IDEMPOTENCY_CUE = re.compile(r"\bexactly once\b|\bidempot\w*|\btwice\b|\bduplicat\w*", re.I)
CONCURRENCY_CUE = re.compile(r"\bat the same (?:moment|time)\b|\bsimultaneous\w*|\bconcurrent(?:ly)? (?:edit|update|act|change)\w*|\bsame moment\b|\brace\b", re.I)
OIDC_CUE = re.compile(r"\bOIDC\b|\bOpenID\b|\bsingle sign-on\b|\bSSO\b", re.I)
_WEB_FRAMEWORKS = re.compile(r"fastapi|django|flask|express|nest|rails|spring|gin|echo|fiber|laravel|phoenix|next|nuxt|koa|hapi|actix|axum|rocket|asp\.net", re.I)
_CLI_FRAMEWORKS = re.compile(r"\b(?:click|typer|argparse|cobra|clap|commander|yargs|oclif|thor)\b", re.I)


def corpus_text(context: PlanningContext) -> str:
    spec = context.spec
    return " ".join([spec.title, spec.summary, *(t for _, t in spec.statements()), context.user_context or ""])


def interface_kinds(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> list[InterfaceKind]:
    """Which interfaces the feature exposes, from the spec's wording, the decisions and the stack."""
    text = corpus_text(context)
    api_style = decision_for(decisions, "api-style")
    web = len(_WEB_CUE.findall(text))
    cli = len(_CLI_CUE.findall(text))
    library = len(_LIBRARY_CUE.findall(text))
    apis = len(_API_CUE.findall(text))
    http = web > 0 or (apis > 0 and not library) or has_trait(api_style, r"\b(rest|restful|openapi|graphql|grpc)\b")
    kinds: list[InterfaceKind] = []
    if http and not (cli > web and cli > 2 and not api_style):
        kinds.append(InterfaceKind.HTTP)
    if cli and (not kinds or cli >= web):
        kinds.append(InterfaceKind.CLI)
    if library and not kinds:
        kinds.append(InterfaceKind.LIBRARY)
    if not kinds:
        frameworks = " ".join(context.stack.frameworks + [d.name for d in context.stack.dependencies])
        if _CLI_FRAMEWORKS.search(frameworks) and not _WEB_FRAMEWORKS.search(frameworks):
            kinds.append(InterfaceKind.CLI)
        else:
            kinds.append(InterfaceKind.HTTP)
    events = _EVENT_CUE.search(text) or decision_for(decisions, "realtime") or decision_for(decisions, "messaging")
    if events and (InterfaceKind.HTTP in kinds or decision_for(decisions, "messaging") or REALTIME_CUE.search(text)):
        kinds.append(InterfaceKind.EVENTS)
    return kinds
