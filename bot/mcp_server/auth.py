"""The token that guards `planbot mcp --http`: every HTTP request carries `Authorization: Bearer <token>`.

A static shared secret, not OAuth: the server runs beside the agent that uses it (localhost by
default), and the person who starts it hands the same token to the agent's configuration.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

REALM = "planbot"


class BearerTokenGuard:
    """ASGI middleware: an HTTP request without the right bearer token gets 401 and never reaches
    the app. Other scopes (the lifespan that starts the MCP session manager) pass through."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token:
            raise ValueError("the bearer token must not be empty")
        self.app = app
        self._token = token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.authorized(Headers(scope=scope)):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # policy violation, before any accept
            return
        response = JSONResponse(
            {"error": "invalid_token", "error_description": "Send the token as Authorization: Bearer <token>."},
            status_code=401,
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}"'},
        )
        await response(scope, receive, send)

    def authorized(self, headers: Headers) -> bool:
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(credentials.strip().encode("utf-8"), self._token)
