"""What research asks for and what it brings back: requests, sources, docs and limitations.

Everything here is data from outside planbot (web pages, documentation, a server's own error
text): whoever renders it into a plan treats it as untrusted text.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Source(BaseModel):
    """One web search result: where it is and what it says, with its date when the server gave one."""

    model_config = ConfigDict(frozen=True)

    title: str
    url: str
    snippet: str = ""
    published: str | None = None  # as the server wrote it: "2024-09-17", "3 days ago", …
    server: str = ""  # the configured server that found it
    query: str = ""  # the query it answered


class DocSnippet(BaseModel):
    """Documentation of one library, as a docs server (e.g. context7) returned it."""

    model_config = ConfigDict(frozen=True)

    library: str
    version: str | None = None
    topic: str
    library_id: str | None = None  # the server's own id for the library, e.g. "/fastapi/fastapi"
    text: str
    truncated: bool = False  # the server said more than planbot keeps
    server: str = ""


class Limitation(BaseModel):
    """Something research could not do, and why; research.md lists these so readers know what is missing."""

    model_config = ConfigDict(frozen=True)

    server: str  # the configured server's name, or the role when no server was there to ask
    what: str  # "search", "library docs for fastapi", "thinking", "connect", "search skipped", …
    reason: str  # one line, free of secrets

    def __str__(self) -> str:
        return f"{self.what}: {self.reason} ({self.server})"


class ThinkRequest(BaseModel):
    kind: Literal["think"] = "think"
    prompt: str = Field(min_length=1)


class SearchRequest(BaseModel):
    kind: Literal["search"] = "search"
    query: str = Field(min_length=1)
    recent: bool = True  # ask for results of about the last year, where the server can filter by date


class DocsRequest(BaseModel):
    kind: Literal["docs"] = "docs"
    library: str = Field(min_length=1)
    version: str | None = None
    topic: str = Field(min_length=1)


ResearchRequest = Annotated[ThinkRequest | SearchRequest | DocsRequest, Field(discriminator="kind")]


class ResearchResult(BaseModel):
    """Everything a batch of research requests brought back, and what it could not do."""

    sources: list[Source] = Field(default_factory=list)  # one per URL, in the order found
    docs: list[DocSnippet] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # what the thinking server answered, one per prompt
    limitations: list[Limitation] = Field(default_factory=list)
