"""`FakeModelServer`: `POST /v1/chat/completions` as OpenAI-compatible servers (Ollama, vLLM)
answer it, served by uvicorn on a free 127.0.0.1 port.

Each request takes the next scripted step (`then`), or the default one once the script is used
up. A step answers with a tool call built by the test's `answer(request)` (structured output comes
back as a call of the tool the client offered), malformed arguments, a 429 with `retry-after`, a
500, or a reply slower than the client waits. Every request is kept for the test to read.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

Answer = Callable[[dict[str, Any]], dict[str, Any]]  # the request -> the tool call's arguments


@dataclass
class Step:
    kind: str  # "answer", "malformed", "rate_limit", "error", "slow"
    seconds: float = 0.0
    answer: Answer | None = None
    target: str | None = None  # only for requests whose output has this top-level field; None: any


def output_fields(request: dict[str, Any]) -> set[str]:
    """The top-level fields of the structured output a request asks for (its output tool's schema)."""
    tools = request.get("tools") or []
    if not tools:
        return set()
    return set(tools[0]["function"].get("parameters", {}).get("properties", {}))


@dataclass
class FakeModelServer:
    answer: Answer = field(default=lambda request: {})
    delay: float = 0.0  # seconds every answer takes (a slow model, for the latency bench)
    prompt_tokens: int = 1200
    completion_tokens: int = 300
    requests: list[dict[str, Any]] = field(default_factory=list)
    _script: list[Step] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def then(self, kind: str, *, seconds: float = 0.0, answer: Answer | None = None,
             target: str | None = None) -> FakeModelServer:
        """Script the next request (with `target`, the next whose output has that field)."""
        self._script.append(Step(kind, seconds, answer, target))
        return self

    def _step_for(self, request: dict[str, Any]) -> Step:
        fields = output_fields(request)
        for index, step in enumerate(self._script):
            if step.target is None or step.target in fields:
                return self._script.pop(index)
        return Step("answer")

    def start(self) -> FakeModelServer:
        app = FastAPI()
        app.add_api_route("/v1/chat/completions", self._complete, methods=["POST"])
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FakeModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _complete(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        step = self._step_for(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        if step.kind == "rate_limit":
            return JSONResponse({"error": {"message": "rate limited", "type": "rate_limit"}}, status_code=429,
                                headers={"retry-after": "0"})
        if step.kind == "error":
            return JSONResponse({"error": {"message": "upstream failed", "type": "server_error"}}, status_code=500)
        if step.kind == "slow":
            await asyncio.sleep(step.seconds)
        tools = body.get("tools") or []
        name = tools[0]["function"]["name"] if tools else "final_result"
        arguments = "{not json" if step.kind == "malformed" else json.dumps((step.answer or self.answer)(body))
        return JSONResponse({
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": None,
                "tool_calls": [{"id": f"call_{len(self.requests)}", "type": "function",
                                "function": {"name": name, "arguments": arguments}}]}}],
            "usage": {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                      "total_tokens": self.prompt_tokens + self.completion_tokens},
        })
