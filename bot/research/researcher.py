"""`McpResearcher`: the engine's `Researcher` port over the configured MCP servers.

What it asks never carries the spec's text: a search names a decision's options (catalog words,
not the feature's), a documentation lookup names a library, its version and a topic, and the
thinking aid gets the decisions' titles and options. Every request goes out at once; what a
server cannot answer becomes a limitation in research.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.planning.analysis import Analysis, Citation, DocExcerpt
from bot.planning.context import PlanningContext
from bot.planning.decisions import TechnicalDecision
from bot.research.client import run_research
from bot.research.config import McpServerConfig
from bot.research.models import DocsRequest, ResearchRequest, SearchRequest, ThinkRequest

MAX_LIBRARIES = 3  # documentation lookups per plan: the frameworks the stack pins first
MAX_SOURCES_PER_DECISION = 5
DOC_TOPIC = "getting started: installation, configuration and a first endpoint or command"


def search_query(td: TechnicalDecision, year: int) -> str:
    """A comparison of the decision's options, in the catalog's words only."""
    options = " vs ".join(o.title for o in td.options[:4])
    return f"{options} comparison {year}"


def libraries(context: PlanningContext) -> list[tuple[str, str | None]]:
    """(name, version) of the frameworks the repository uses, pinned versions first."""
    stack = context.stack
    named = list(dict.fromkeys(re.split(r"\s+\d", f)[0].strip() for f in stack.frameworks if f.strip()))
    pairs = [(name, stack.version_of(name)) for name in named]
    return sorted(pairs, key=lambda pair: pair[1] is None)[:MAX_LIBRARIES]


def thinking_prompt(decisions: Sequence[TechnicalDecision]) -> str:
    lines = ["Think step by step about how these technical decisions constrain each other, and which order "
             "to take them in:"]
    lines += [f"- {td.id} {td.title}: " + "; ".join(f"{o.key}) {o.title}" for o in td.options) for td in decisions]
    return "\n".join(lines)


class McpResearcher:
    def __init__(self, servers: Sequence[McpServerConfig]) -> None:
        self.servers = list(servers)

    def research(self, context: PlanningContext, analysis: Analysis) -> Analysis:
        if not self.servers:
            return analysis
        year = datetime.now(UTC).year
        queries = {search_query(td, year): td.id for td in analysis.decisions}
        requests: list[ResearchRequest] = [SearchRequest(query=query) for query in queries]
        requests += [DocsRequest(library=name, version=version, topic=DOC_TOPIC) for name, version in libraries(context)]
        if analysis.decisions:
            requests.append(ThinkRequest(prompt=thinking_prompt(analysis.decisions)))
        result = run_research(self.servers, context.private, requests)
        citations: list[Citation] = []
        for source in result.sources:
            decision = queries.get(source.query)
            if sum(1 for c in citations if c.decision_id == decision) < MAX_SOURCES_PER_DECISION:
                citations.append(Citation(title=source.title or source.url, url=source.url,
                                          published=source.published, decision_id=decision))
        docs = [DocExcerpt(library=d.library, version=d.version, topic=d.topic, text=d.text) for d in result.docs]
        answered = [f"{kind} ({server})" for kind, server in (
            *(("web search", s.server) for s in result.sources), *(("library docs", d.server) for d in result.docs))]
        if result.notes:
            answered.append("sequential thinking")
        return analysis.model_copy(update={
            "citations": [*analysis.citations, *citations],
            "docs": [*analysis.docs, *docs],
            "thinking": [*analysis.thinking, *result.notes],
            "researched_with": list(dict.fromkeys([*analysis.researched_with, *answered])),
            "limitations": [*analysis.limitations, *(str(limitation) for limitation in result.limitations)],
        })
