"""`planbot receive`: sign a webhook payload with the app's secret and post it, as GitHub would.

Handy to try a running `planbot serve` with a saved delivery. Only `WEBHOOK_SECRET` is needed.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import typer
from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings

from bot.settings import Settings
from bot.web.headers import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WEBHOOK_PATH
from bot.web.signature import sign

DEFAULT_URL = f"http://127.0.0.1:3000{WEBHOOK_PATH}"
TIMEOUT_SECONDS = 15.0


class WebhookSecret(BaseSettings):
    """Just the webhook secret, read like the app reads it (environment, then `.env`)."""

    model_config = Settings.model_config
    webhook_secret: SecretStr = Field(validation_alias=Settings.model_fields["webhook_secret"].validation_alias)


def receive(
    event: Annotated[str, typer.Option("--event", help="The X-GitHub-Event, e.g. issues or issue_comment.")],
    payload: Annotated[
        Path, typer.Option("--payload", exists=True, dir_okay=False, readable=True, help="The JSON payload file.")
    ],
    url: Annotated[
        str,
        typer.Option("--url", help="The webhook URL of a running `planbot serve`."),
    ] = DEFAULT_URL,
    delivery: Annotated[
        str | None, typer.Option("--delivery", help="The X-GitHub-Delivery id (default: a fresh one).")
    ] = None,
) -> None:
    """Post a signed delivery and print the answer's status and body; exit 1 unless it is 2xx."""
    import httpx

    try:
        secret = WebhookSecret().webhook_secret.get_secret_value()  # type: ignore[call-arg]
    except ValidationError:
        typer.echo("planbot: WEBHOOK_SECRET is not set", err=True)
        raise typer.Exit(2) from None
    body = payload.read_bytes()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/planbot-receive",
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery or str(uuid.uuid4()),
        SIGNATURE_HEADER: sign(body, secret.encode("utf-8")),
    }
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        typer.echo(f"planbot: cannot post to {url}: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{response.status_code} {response.reason_phrase}")
    typer.echo(response.text)
    raise typer.Exit(0 if response.is_success else 1)
