"""Picking a server's tool by what it does, and filling its arguments from its input schema.

MCP servers rename their tools between releases (context7 2.x replaced `get-library-docs` with
`query-docs`; tavily's search was `tavily-search`, now `tavily_search`), so planbot never
asks for a tool by a fixed name. A tool fits a capability when its name (strongly) or its
description (weakly) speaks of it, and when every argument it requires can be filled from what
planbot has to give; the best fitting tool wins, the server's own order breaking ties.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mcp.types import Tool

NAME_WEIGHT = 10  # a word in the tool's name counts this much more than one in its description


@dataclass(frozen=True)
class Capability:
    """What planbot needs a tool for, as the words its name or description would use.

    Words match at the start of a word only, so `search` finds `tavily_search` and
    `brave_web_search` but not `tavily_research`; a name is read with its separators and
    camelCase humps turned into spaces (`getLibraryDocs` reads `get library docs`).
    """

    label: str
    name_words: tuple[str, ...]
    description_words: tuple[str, ...]
    not_in_name: tuple[str, ...] = ()  # a name holding one of these is another capability's tool
    name_required: bool = False  # the description alone is not enough


THINKING = Capability(
    "sequential thinking",
    name_words=("sequentialthinking", "sequential thinking", "think"),
    description_words=("thinking", "thought", "reflective", "problem-solving"),
)
SEARCH = Capability(
    "web search",
    name_words=("web search", "websearch", "search"),
    description_words=("search the web", "web search", "search"),
)
LIBRARY_DOCS = Capability(
    "library documentation",
    name_words=("query docs", "library docs", "documentation", "docs"),
    description_words=("documentation", "docs", "code examples"),
    not_in_name=("resolve",),
)
RESOLVE_LIBRARY = Capability(
    "library id lookup",
    name_words=("resolve library id", "resolve", "library id"),
    description_words=("library id", "resolve"),
    name_required=True,  # a docs tool's description tells to resolve the id first
)

# The values planbot can give, by slot, and the argument names each slot answers to (compared
# lower-cased without separators). An alias of five letters or more also matches a longer name
# that ends with it, so `searchQuery` takes the query and `context7CompatibleLibraryID` the id.
SLOT_ALIASES: dict[str, tuple[str, ...]] = {
    "query": ("query", "q", "searchquery", "question", "keywords", "text", "input"),
    "thought": ("thought", "prompt", "input", "text", "question"),
    "library_name": ("libraryname", "library", "packagename", "package", "name"),
    "library_id": ("libraryid", "id"),
    "topic": ("topic", "query", "question"),
    "max_results": ("maxresults", "numresults", "count", "limit", "topk"),
    "thought_number": ("thoughtnumber",),
    "total_thoughts": ("totalthoughts",),
    "next_thought_needed": ("nextthoughtneeded",),
}

# Names a search tool gives its date filter, with the values meaning "about the last year".
RECENCY_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "timerange": ("year", "y", "month"),
    "searchrecencyfilter": ("year", "month"),
    "recency": ("year", "month"),
    "freshness": ("py", "year", "pm"),
}
RECENT_DAYS = 365


def normalized(name: str) -> str:
    """`get-library-docs`, `getLibraryDocs` and `get_library_docs` all read `getlibrarydocs`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def spaced(name: str) -> str:
    """`getLibraryDocs`, `get-library-docs` and `get_library_docs` all read `get library docs`."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return " ".join(re.split(r"[^a-z0-9]+", name.lower())).strip()


def _mentions(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}", text) is not None


def _json_types(schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a property schema allows (`type`, or the arms of `anyOf`/`oneOf`)."""
    declared = schema.get("type")
    types: set[str] = set()
    if isinstance(declared, str):
        types.add(declared)
    elif isinstance(declared, list):
        types.update(str(item) for item in declared)
    for key in ("anyOf", "oneOf"):
        for arm in schema.get(key) or []:
            if isinstance(arm, Mapping):
                types |= _json_types(arm)
    return types


def _fits(schema: Mapping[str, Any], value: object) -> bool:
    """Whether `value` is of a type the property accepts (any, when the schema does not say)."""
    types = _json_types(schema)
    if not types:
        return True
    if isinstance(value, bool):
        return "boolean" in types
    if isinstance(value, int):
        return bool(types & {"integer", "number"})
    if isinstance(value, str):
        enum = schema.get("enum")
        return "string" in types and (not isinstance(enum, list) or value in enum)
    return False


def _slot_for(argument: str, values: Mapping[str, object], schema: Mapping[str, Any]) -> str | None:
    key = normalized(argument)
    for slot, aliases in SLOT_ALIASES.items():
        if slot not in values or not _fits(schema, values[slot]):
            continue
        if any(key == alias or (len(alias) >= 5 and key.endswith(alias)) for alias in aliases):
            return slot
    return None


def _recency(argument: str, schema: Mapping[str, Any]) -> object | None:
    """The value that asks this date-filter argument for recent results, if it is one."""
    key = normalized(argument)
    if key in ("days", "maxagedays") and _fits(schema, RECENT_DAYS):
        return RECENT_DAYS
    for name, wanted in RECENCY_ARGUMENTS.items():
        if key != name and not key.endswith(name):
            continue
        enum = schema.get("enum")
        if isinstance(enum, list):
            return next((value for value in wanted if value in enum), None)
        return wanted[0] if _fits(schema, wanted[0]) else None
    return None


def build_arguments(tool: Tool, values: Mapping[str, object], *, recent: bool = False) -> dict[str, Any] | None:
    """The arguments to call `tool` with, filled from `values` (slot -> value) by argument name.

    Each slot fills at most one argument. Returns None when an argument the tool requires cannot
    be filled: such a tool cannot be used. With `recent`, a date filter the tool offers is set to
    about the last year.
    """
    schema = tool.input_schema or {}
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = [name for name in schema.get("required") or [] if isinstance(name, str)]
    arguments: dict[str, Any] = {}
    used: set[str] = set()
    # required arguments first, so an optional one cannot take the slot a required one needs
    for name in [*required, *(name for name in properties if name not in required)]:
        prop = properties.get(name)
        prop = prop if isinstance(prop, Mapping) else {}
        slot = _slot_for(name, {k: v for k, v in values.items() if k not in used}, prop)
        if slot is not None:
            arguments[name] = values[slot]
            used.add(slot)
        elif recent and (value := _recency(name, prop)) is not None:
            arguments[name] = value
        elif name in required:
            return None
    return arguments


def score(tool: Tool, capability: Capability) -> int:
    """How strongly the tool's name and description speak of the capability (0: not at all)."""
    name = spaced(tool.name)
    if any(_mentions(name, word) for word in capability.not_in_name):
        return 0
    description = (tool.description or "").lower()
    points = sum(NAME_WEIGHT for word in capability.name_words if _mentions(name, word))
    if capability.name_required and not points:
        return 0
    points += sum(1 for word in capability.description_words if _mentions(description, word))
    return points


def pick(
    tools: Sequence[Tool], capability: Capability, values: Mapping[str, object], *, exclude: Sequence[str] = ()
) -> Tool | None:
    """The tool that best fits the capability and can be called with `values`, or None."""
    best: tuple[int, Tool] | None = None
    for tool in tools:
        if tool.name in exclude:
            continue
        points = score(tool, capability)
        if points <= 0 or build_arguments(tool, values) is None:
            continue
        if best is None or points > best[0]:
            best = (points, tool)
    return best[1] if best else None
