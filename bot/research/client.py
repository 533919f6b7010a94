"""The research tools planbot calls while planning: sequential thinking, web search, library docs.

`ResearchTools` talks to the configured MCP servers with the `mcp` client, each server over its
own session (a command over stdio, or a URL over streamable HTTP). Research is a help, never a
condition: a server that is missing, does not start, has no fitting tool, times out or fails is
recorded as a `Limitation` (listed in research.md) and its call answers None or []; planning goes on.

    async with ResearchTools(servers, private=False) as tools:
        sources = await tools.search("fastapi background tasks")
        docs = await tools.library_docs("fastapi", "0.115", "background tasks")
    tools.limitations  # what could not be done, and why

A server is started on first use and stopped on leaving the block; every call, the start included,
runs under the server's `timeout_seconds`. A server that timed out or lost its connection is not
asked again in the same block, so one stuck server costs one timeout, not one per request.

Privacy: spec text never goes into a web search for a private repository. The caller passes
`private=True` when the repository is private and its config does not allow web search; `search`
then refuses (and the search servers are never started). Docs lookups send only a library name,
its version and a technical topic.

`run_research` runs a batch of requests from sync code (RQ jobs, the CLI).
"""

from __future__ import annotations

import asyncio
import logging
import re
import tempfile
from collections.abc import Sequence
from contextlib import AsyncExitStack
from types import TracebackType
from typing import IO, Any, Self

import httpx2
from mcp import ClientSession, MCPError, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CONNECTION_CLOSED, CallToolResult, Implementation, PaginatedRequestParams, Tool

from bot import __version__
from bot.logs import Redactor
from bot.research import capabilities
from bot.research.capabilities import Capability
from bot.research.config import McpServerConfig, Role
from bot.research.models import (
    DocSnippet,
    DocsRequest,
    Limitation,
    ResearchRequest,
    ResearchResult,
    SearchRequest,
    Source,
    ThinkRequest,
)
from bot.research.results import one_line, parse_library_id, parse_sources, result_text

log = logging.getLogger(__name__)

CREDENTIAL_NAME = re.compile(r"key|token|secret|passw|auth|credential|cookie", re.IGNORECASE)

CLIENT_INFO = Implementation(name="planbot", version=__version__)
MAX_RESULTS = 5  # search results asked of a search tool that takes a count
DOC_TEXT_LIMIT = 12_000  # characters of documentation kept per lookup
NOTE_LIMIT = 4_000  # characters of a thinking answer kept
REASON_LIMIT = 240  # characters of a limitation's reason
MAX_TOOL_PAGES = 10  # tools/list pages read from one server
HTTP_READ_SECONDS = 300.0  # an HTTP server may hold a response stream open; calls are bounded by our own timeout

SECRET_MIN_LENGTH = 16  # an env value this long is redacted whatever its name

_URL_QUERY = re.compile(r"(https?://[^\s?#'\"]+)\?[^\s'\"]*")
_SECRET_NAME = re.compile(r"key|token|secret|pass|auth|credential|cookie", re.IGNORECASE)


class _Unusable(Exception):
    """A server cannot serve a call; the message is the limitation's reason."""


def _leaf(error: BaseException) -> BaseException:
    """The first real error inside (nested) exception groups, which anyio task groups raise."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


class _Connection:
    """One configured server: its session and tools, owned by a task of its own.

    The transport and session are anyio contexts, which must be left in the task that entered
    them; a dedicated task enters them, holds them until `close`, then leaves them. Calls go
    through the session from any task.
    """

    def __init__(self, server: McpServerConfig) -> None:
        self.server = server
        self.session: ClientSession | None = None
        self.tools: list[Tool] = []
        self.broken: str | None = None  # why the server is not asked again, once it failed that way
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._errlog: IO[str] | None = None
        self._http_error: str | None = None  # the last error status an HTTP server answered

    def _secrets(self) -> list[str]:
        """Header values, and env values that look like credentials (by name, or long enough to be one)."""
        values = list(self.server.headers.values())
        values += [
            value
            for name, value in self.server.env.items()
            if _SECRET_NAME.search(name) or len(value) >= SECRET_MIN_LENGTH
        ]
        return sorted((value for value in values if len(value) >= 4), key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` without the server's header and env values, nor the query part of any URL."""
        for secret in self._secrets():
            text = text.replace(secret, "[redacted]")
        return _URL_QUERY.sub(r"\1?[redacted]", text)

    def describe(self, error: BaseException) -> str:
        """A one-line reason for a limitation, free of secrets."""
        error = _leaf(error)
        program = self.server.command[0] if self.server.command else ""
        if isinstance(error, TimeoutError):
            reason = f"timed out after {self.server.timeout_seconds:g} s"
        elif isinstance(error, FileNotFoundError) and program:
            reason = f"command not found: {program}"
        elif isinstance(error, PermissionError) and program:
            reason = f"command not executable: {program}"
        elif isinstance(error, httpx2.HTTPStatusError):
            reason = f"HTTP {error.response.status_code} {error.response.reason_phrase}".strip()
        elif isinstance(error, httpx2.TransportError):
            reason = f"could not reach the server ({type(error).__name__})"
        elif isinstance(error, MCPError):
            # the streamable-HTTP transport turns an HTTP error status into a generic MCP error
            reason = f"server error: {self._http_error or error.error.message}"
        elif isinstance(error, _Unusable):
            reason = str(error)
        else:
            reason = f"{type(error).__name__}: {error}".rstrip(": ")
        return one_line(self.redact(reason), REASON_LIMIT)

    def stderr_tail(self) -> str:
        """The last line a stdio server wrote to stderr (why it died, usually), or ''."""
        if self._errlog is None:
            return ""
        try:
            self._errlog.flush()
            self._errlog.seek(0)
            lines = [line.strip() for line in self._errlog.read()[-4000:].splitlines() if line.strip()]
        except (OSError, ValueError):
            return ""
        return one_line(self.redact(lines[-1]), REASON_LIMIT // 2) if lines else ""

    def _transport(self, stack: AsyncExitStack) -> Any:
        server = self.server
        if server.command is not None:
            # kept open past the process (closed by `close`), so a failed start can say what the server wrote
            if self._errlog is None:
                self._errlog = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115
            params = StdioServerParameters(command=server.command[0], args=server.command[1:], env=server.env or None)
            return stdio_client(params, errlog=self._errlog)
        assert server.url is not None
        return streamable_http_client(server.url, http_client=self._http_client(stack))

    def _http_client(self, stack: AsyncExitStack) -> httpx2.AsyncClient:
        timeout = httpx2.Timeout(self.server.timeout_seconds, read=HTTP_READ_SECONDS)

        async def note_error(response: httpx2.Response) -> None:
            if response.status_code >= 400:
                self._http_error = f"HTTP {response.status_code} {response.reason_phrase}".strip()

        client = httpx2.AsyncClient(
            headers=self.server.headers, timeout=timeout, event_hooks={"response": [note_error]}
        )
        stack.push_async_callback(client.aclose)
        return client

    async def _own(self, ready: asyncio.Future[None]) -> None:
        """Open the transport and session, list the tools, then hold them until `close`."""
        try:
            async with AsyncExitStack() as stack:
                read, write = await stack.enter_async_context(self._transport(stack))
                session = await stack.enter_async_context(ClientSession(read, write, client_info=CLIENT_INFO))
                await session.initialize()
                self.tools = await self._list_tools(session)
                self.session = session
                ready.set_result(None)
                await self._stop.wait()
        except Exception as error:  # noqa: BLE001 - any failure of a server is the starter's to report
            if not ready.done():
                ready.set_exception(error)
            else:  # it died after starting: do not start it again for every call
                self.broken = f"skipped: it stopped earlier ({self.describe(error)})"
                log.warning("MCP server %s stopped with an error: %s", self.server.name, self.describe(error))
        except BaseException:
            if not ready.done():  # stopped while starting (on a timeout, the starter stopped it)
                ready.set_exception(_Unusable("stopped while starting"))
            raise
        finally:
            self.session = None

    @staticmethod
    async def _list_tools(session: ClientSession) -> list[Tool]:
        tools: list[Tool] = []
        cursor: str | None = None
        for _ in range(MAX_TOOL_PAGES):
            params = None if cursor is None else PaginatedRequestParams(cursor=cursor)
            listing = await session.list_tools(params=params)
            tools.extend(listing.tools)
            cursor = listing.next_cursor
            if not cursor:
                break
        return tools

    async def ensure_started(self) -> ClientSession:
        """The server's session, started on first use; raises when it cannot be had."""
        async with self._lock:
            if self.broken is not None:
                raise _Unusable(self.broken)
            if self.session is not None:
                return self.session
            ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._task = asyncio.create_task(self._own(ready), name=f"mcp-{self.server.name}")
            self._http_error = None
            try:
                async with asyncio.timeout(self.server.timeout_seconds):
                    await asyncio.shield(ready)
            except Exception as error:  # noqa: BLE001 - a server that cannot start is a limitation, whatever the cause
                await self._abort()
                if ready.done() and not ready.cancelled():
                    ready.exception()  # seen: the error that counts is `error`
                reason = self.describe(error)
                tail = self.stderr_tail()
                if tail and tail not in reason:
                    reason = one_line(f"{reason} (stderr: {tail})", REASON_LIMIT)
                self.broken = f"did not start: {reason}"
                raise _Unusable(self.broken) from None
            assert self.session is not None
            return self.session

    async def call(self, tool: Tool, arguments: dict[str, Any]) -> CallToolResult:
        """Call a tool under the server's timeout; a timeout or a lost connection breaks the server."""
        session = await self.ensure_started()
        self._http_error = None
        try:
            async with asyncio.timeout(self.server.timeout_seconds):
                result = await session.call_tool(tool.name, arguments)
        except TimeoutError as error:
            self.broken = f"skipped: it {self.describe(error)} earlier"
            raise
        except (httpx2.TransportError, OSError, EOFError) as error:
            self.broken = f"skipped: its connection failed earlier ({self.describe(error)})"
            raise
        except MCPError as error:
            if error.code == CONNECTION_CLOSED:
                self.broken = f"skipped: its connection closed earlier ({self.describe(error)})"
            raise
        if result.is_error:
            raise _Unusable(f"the tool {tool.name} failed: {result_text(result) or 'no message'}")
        return result

    async def _abort(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        await self._finish()

    async def _finish(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            try:
                await task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise  # our own caller is being cancelled, not just the server's task
            except Exception as error:  # noqa: BLE001 - already recorded or logged; closing must go on
                log.debug("MCP server %s: %s", self.server.name, self.describe(error))

    async def close(self) -> None:
        """Stop the server (or end the HTTP session) and wait until it is gone."""
        self._stop.set()
        try:
            await self._finish()
        finally:
            if self._errlog is not None:
                self._errlog.close()


class ResearchTools:
    """The configured research servers, each picked for its role, tolerant of every failure.

    Enter and leave it in one task (`async with`). `limitations` lists what could not be done.
    """

    def __init__(self, servers: Sequence[McpServerConfig], *, private: bool) -> None:
        self.private = private
        self._connections = [_Connection(server) for server in servers]
        # a tool's error may echo the credentials it was configured with: hide them in the limitations
        self._redactor = Redactor([value for server in servers
                                   for name, value in (*server.headers.items(), *server.env.items())
                                   if CREDENTIAL_NAME.search(name)])
        self._limitations: list[Limitation] = []

    @property
    def limitations(self) -> list[Limitation]:
        return list(self._limitations)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop every server that was started (all at once, so a slow one does not hold up the rest)."""
        await asyncio.gather(*(connection.close() for connection in self._connections), return_exceptions=True)

    def _limit(self, server: str, what: str, reason: str) -> None:
        limitation = Limitation(server=server, what=what, reason=self._redactor.redact(reason))
        if limitation not in self._limitations:
            self._limitations.append(limitation)
            log.info("research limitation: %s", limitation)

    def _servers(self, role: Role) -> list[_Connection]:
        return [connection for connection in self._connections if connection.server.role == role]

    async def _ask(
        self,
        role: Role,
        what: str,
        capability: Capability,
        values: dict[str, object],
        *,
        recent: bool = False,
    ) -> tuple[_Connection, CallToolResult] | None:
        """Call the fitting tool of the first server of `role` that answers; record each failure."""
        connections = self._servers(role)
        if not connections:
            self._limit(role, what, f"no server with the {role} role is configured")
            return None
        for connection in connections:
            try:
                await connection.ensure_started()
                tool = capabilities.pick(connection.tools, capability, values)
                if tool is None:
                    names = ", ".join(listed.name for listed in connection.tools) or "none"
                    raise _Unusable(f"no tool offers {capability.label} (tools: {names})")
                arguments = capabilities.build_arguments(tool, values, recent=recent)
                assert arguments is not None  # pick() only returns tools it can fill
                return connection, await connection.call(tool, arguments)
            except Exception as error:  # noqa: BLE001 - research is a help: any failure becomes a limitation
                self._limit(connection.server.name, what, connection.describe(error))
        return None

    async def think(self, prompt: str) -> str | None:
        """Put one thought to the sequential-thinking server; its answer as text, or None."""
        values: dict[str, object] = {
            "thought": prompt,
            "thought_number": 1,
            "total_thoughts": 1,
            "next_thought_needed": False,
        }
        answer = await self._ask("thinking", "thinking", capabilities.THINKING, values)
        if answer is None:
            return None
        text = result_text(answer[1])
        return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1].rstrip() + "…"

    async def search(self, query: str, *, recent: bool = True) -> list[Source]:
        """Web search results for `query` (about the last year when `recent`); [] when none can be had.

        Refused for a private repository: nothing is sent, a limitation says so.
        """
        if self.private:
            names = ", ".join(connection.server.name for connection in self._servers("search")) or "search"
            self._limit(names, "search skipped", "private repository")
            return []
        values: dict[str, object] = {"query": query, "max_results": MAX_RESULTS}
        answer = await self._ask("search", "search", capabilities.SEARCH, values, recent=recent)
        if answer is None:
            return []
        connection, result = answer
        return [
            Source(
                title=found["title"],
                url=found["url"],
                snippet=found["snippet"],
                published=found["published"] or None,
                server=connection.server.name,
                query=query,
            )
            for found in parse_sources(result)
        ]

    async def library_docs(self, library: str, version: str | None, topic: str) -> DocSnippet | None:
        """Documentation of `library` (at `version` when given) on `topic`, or None.

        Where the docs server has a lookup tool (context7's `resolve-library-id`), the library's id
        is looked up first and the docs asked for by id; otherwise the library name goes as is.
        """
        what = f"library docs for {library}" + (f" {version}" if version else "")
        connections = self._servers("docs")
        if not connections:
            self._limit("docs", what, "no server with the docs role is configured")
            return None
        question = f"{topic} (version {version})" if version else topic
        for connection in connections:
            try:
                snippet = await self._docs_from(connection, library, version, topic, question)
            except Exception as error:  # noqa: BLE001 - research is a help: any failure becomes a limitation
                self._limit(connection.server.name, what, connection.describe(error))
                continue
            if snippet is not None:
                return snippet
            self._limit(connection.server.name, what, "the server found no such library")
        return None

    async def _docs_from(
        self, connection: _Connection, library: str, version: str | None, topic: str, question: str
    ) -> DocSnippet | None:
        await connection.ensure_started()
        tools = connection.tools
        lookup_values: dict[str, object] = {"library_name": library, "topic": question}
        resolver = capabilities.pick(tools, capabilities.RESOLVE_LIBRARY, lookup_values)
        library_id: str | None = None
        if resolver is not None:
            arguments = capabilities.build_arguments(resolver, lookup_values)
            assert arguments is not None
            library_id = parse_library_id(result_text(await connection.call(resolver, arguments)), version)
            if library_id is None:
                return None
        docs_values: dict[str, object] = {"topic": question}
        docs_values |= {"library_id": library_id} if library_id else {"library_name": library}
        exclude = [resolver.name] if resolver else []
        tool = capabilities.pick(tools, capabilities.LIBRARY_DOCS, docs_values, exclude=exclude)
        if tool is None:
            names = ", ".join(listed.name for listed in tools) or "none"
            raise _Unusable(f"no tool offers {capabilities.LIBRARY_DOCS.label} (tools: {names})")
        arguments = capabilities.build_arguments(tool, docs_values)
        assert arguments is not None
        text = result_text(await connection.call(tool, arguments)).strip()
        if not text:
            return None
        return DocSnippet(
            library=library,
            version=version,
            topic=topic,
            library_id=library_id,
            text=text[:DOC_TEXT_LIMIT],
            truncated=len(text) > DOC_TEXT_LIMIT,
            server=connection.server.name,
        )

    async def run(self, requests: Sequence[ResearchRequest]) -> ResearchResult:
        """Answer a batch of requests, all at once; sources are kept once per URL, in request order."""

        async def answer(request: ResearchRequest) -> object:
            if isinstance(request, ThinkRequest):
                return await self.think(request.prompt)
            if isinstance(request, SearchRequest):
                return await self.search(request.query, recent=request.recent)
            return await self.library_docs(request.library, request.version, request.topic)

        answers = await asyncio.gather(*(answer(request) for request in requests))
        result = ResearchResult()
        seen_urls: set[str] = set()
        for request, found in zip(requests, answers, strict=True):
            if isinstance(request, ThinkRequest) and isinstance(found, str) and found.strip():
                result.notes.append(found)
            elif isinstance(request, SearchRequest) and isinstance(found, list):
                for source in found:
                    if source.url not in seen_urls:
                        seen_urls.add(source.url)
                        result.sources.append(source)
            elif isinstance(request, DocsRequest) and isinstance(found, DocSnippet):
                result.docs.append(found)
        result.limitations = self.limitations
        return result


def run_research(
    config: Sequence[McpServerConfig], private: bool, requests: Sequence[ResearchRequest]
) -> ResearchResult:
    """Answer `requests` with the configured servers, from sync code (it runs its own event loop).

    Never raises for a server's sake: what could not be done is in the result's `limitations`.
    Not for use inside a running event loop (use `ResearchTools` there).
    """

    async def main() -> ResearchResult:
        async with ResearchTools(config, private=private) as tools:
            return await tools.run(requests)

    return asyncio.run(main())
