"""Reading what a tool answered: its text, the search results in it, a library id.

Servers answer in different shapes: structured content (`{"results": [...]}`, or `{"result": [...]}`
from servers built on the Python SDK), one JSON object per text block, or plain text laid out as
`Title:` / `URL:` / `Content:` lines (tavily). Each reader tries them in that order and keeps what
it can use; nothing here raises on odd input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from mcp.types import CallToolResult, EmbeddedResource, TextContent, TextResourceContents

TITLE_LIMIT = 200
SNIPPET_LIMIT = 600

TITLE_KEYS = ("title", "name", "headline")
URL_KEYS = ("url", "link", "href", "uri")
SNIPPET_KEYS = ("content", "snippet", "description", "summary", "text", "body")
PUBLISHED_KEYS = ("published_date", "publisheddate", "published", "date", "page_age", "age")
LIST_KEYS = ("results", "result", "items", "data", "web", "organic", "news")

_FIELD_LINE = re.compile(r"^\s*[-*]?\s*(title|url|link|content|snippet|description|published(?: date)?|date)\s*:\s*(.*)$", re.IGNORECASE)
_LIBRARY_ID_LINE = re.compile(r"library\s*id\s*:?\s*`?(/[^\s`,)]+)", re.IGNORECASE)
_LIBRARY_ID = re.compile(r"(?<![\w/.:-])(/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?)")
_VERSIONS_LINE = re.compile(r"versions?\s*:\s*(.+)", re.IGNORECASE)


def result_text(result: CallToolResult) -> str:
    """All the text a tool answered, blocks separated by blank lines (its JSON when it gave no text)."""
    parts: list[str] = []
    for block in result.content:
        if isinstance(block, TextContent):
            parts.append(block.text)
        elif isinstance(block, EmbeddedResource) and isinstance(block.resource, TextResourceContents):
            parts.append(block.resource.text)
    text = "\n\n".join(part.strip() for part in parts if part.strip())
    if not text and result.structured_content is not None:
        text = json.dumps(result.structured_content, ensure_ascii=False)
    return text


def one_line(text: str, limit: int) -> str:
    """Whitespace collapsed, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _first(item: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    lowered = {str(key).lower(): value for key, value in item.items()}
    for key in keys:
        value = lowered.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def _web_url(url: str) -> bool:
    return url.startswith(("http://", "https://")) and " " not in url


def _records(value: object, depth: int = 0) -> Iterator[Mapping[str, Any]]:
    """Every mapping that looks like one result (it has a web URL), searched a few levels down."""
    if depth > 3:
        return
    if isinstance(value, Mapping):
        if _web_url(_first(value, URL_KEYS)):
            yield value
            return
        for key in LIST_KEYS:
            for found_key, found in value.items():
                if str(found_key).lower() == key:
                    yield from _records(found, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _records(item, depth + 1)


def _text_records(text: str) -> list[dict[str, str]]:
    """Results laid out as `Title:` / `URL:` / `Content:` lines, a new result at each title."""
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last_key = ""
    for line in text.splitlines():
        match = _FIELD_LINE.match(line)
        if match:
            key = match.group(1).lower()
            key = {"link": "url", "snippet": "content", "description": "content", "date": "published"}.get(key, key)
            key = "published" if key.startswith("published") else key
            if key == "title" or key in current:
                if current:
                    records.append(current)
                current = {}
            current[key] = match.group(2).strip()
            last_key = key
        elif line.strip() and last_key == "content":
            current["content"] = f"{current.get('content', '')} {line.strip()}"
    if current:
        records.append(current)
    return records


def parse_sources(result: CallToolResult) -> list[dict[str, str]]:
    """The search results in a tool's answer, as dicts with title, url, snippet and published."""
    found: list[Mapping[str, Any]] = list(_records(result.structured_content))
    if not found:
        for block in result.content:
            if not isinstance(block, TextContent):
                continue
            try:
                found.extend(_records(json.loads(block.text)))
            except ValueError:
                found.extend(_text_records(block.text))
    sources: list[dict[str, str]] = []
    for item in found:
        url = _first(item, URL_KEYS)
        if not _web_url(url):
            continue
        sources.append(
            {
                "title": one_line(_first(item, TITLE_KEYS) or url, TITLE_LIMIT),
                "url": url,
                "snippet": one_line(_first(item, SNIPPET_KEYS), SNIPPET_LIMIT),
                "published": _first(item, PUBLISHED_KEYS),
            }
        )
    return sources


def parse_library_id(text: str, version: str | None = None) -> str | None:
    """The first library id in a lookup's answer (`/org/project`), pinned to `version` when listed.

    context7 lists the versions it knows on a `Versions:` line; an id for one of them is the
    library id followed by `/` and that version.
    """
    match = _LIBRARY_ID_LINE.search(text) or _LIBRARY_ID.search(text)
    if match is None:
        return None
    library_id = match.group(1).rstrip(".")
    if version:
        wanted = version.strip().lstrip("vV")
        tail = text[match.end() :]
        next_id = _LIBRARY_ID_LINE.search(tail)
        versions = _VERSIONS_LINE.search(tail[: next_id.start()] if next_id else tail)
        if versions:
            for listed in re.split(r"[,\s]+", versions.group(1)):
                if listed.strip().lstrip("vV") == wanted and wanted:
                    return f"{library_id}/{listed.strip()}"
    return library_id
