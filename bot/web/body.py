"""Read a request body without reading more than a limit."""

from __future__ import annotations

from starlette.requests import Request

from bot.web.errors import WebhookRejected


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The raw body; 413 when `Content-Length` or the bytes actually sent go over `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise WebhookRejected(400, f"invalid Content-Length {declared[:40]!r}") from None
        if size > limit:
            raise WebhookRejected(413, f"payload of {size} bytes is over the {limit}-byte limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise WebhookRejected(413, f"payload is over the {limit}-byte limit")
    return bytes(body)
