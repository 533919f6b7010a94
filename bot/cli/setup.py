"""`planbot setup`: create planbot's GitHub App from `app.yml` and write its settings to `.env`.

A local page posts the app manifest to GitHub (github.com, an organisation, or a GitHub
Enterprise Server); once the person confirms there, GitHub sends the browser back to the page,
which trades the code for the app's id, private key and secrets and writes them to `.env`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.setup import SetupError

WEBHOOK_PATH_HINT = "https://YOUR-HOST/api/github/webhooks"


def setup(
    org: Annotated[
        str | None, typer.Option("--org", help="Create the app for this organisation instead of your own account.")
    ] = None,
    github_url: Annotated[
        str, typer.Option("--github-url", help="The GitHub host, e.g. https://ghe.example.com for Enterprise Server.")
    ] = "https://github.com",
    webhook_url: Annotated[
        str | None,
        typer.Option("--webhook-url", help=f"Where GitHub posts webhooks, e.g. {WEBHOOK_PATH_HINT} (asked when left out)."),
    ] = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The local port of the setup page.")] = 3333,
    env_file: Annotated[Path, typer.Option("--env-file", help="The settings file to write or update.")] = Path(".env"),
    force: Annotated[bool, typer.Option("--force", help="Replace the settings of an app already in the file.")] = False,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the setup page's address instead of opening a browser.")
    ] = False,
) -> None:
    """Create the GitHub App through GitHub's manifest flow and write APP_ID, PRIVATE_KEY, … to .env."""
    from bot.setup.envfile import check_env_file
    from bot.setup.manifest import build_manifest, github_host, load_app_manifest, manifest_form
    from bot.setup.server import SetupFlow, SetupServer, callback_url

    try:
        host = github_host(github_url)
        check_env_file(env_file, force=force)
        base = load_app_manifest()
        if webhook_url is None:
            webhook_url = typer.prompt(f"Webhook URL GitHub posts to ({WEBHOOK_PATH_HINT})")
        manifest = build_manifest(base, webhook_url=webhook_url, redirect_url=callback_url(port))
        form = manifest_form(manifest, host, org=org)
        server = SetupServer(SetupFlow(form, host, env_file, force=force, account=org), port=port).start()
    except SetupError as exc:
        typer.echo(f"planbot: {exc}", err=True)
        raise typer.Exit(2) from None

    try:
        typer.echo(f"Create the app on {host.web_url} from {server.url} (waiting; Ctrl-C stops).")
        if not no_browser:
            import webbrowser

            webbrowser.open(server.url)
        outcome = server.wait()
    except KeyboardInterrupt:
        typer.echo("planbot: setup stopped; nothing was written.", err=True)
        raise typer.Exit(130) from None
    finally:
        server.stop()

    assert outcome is not None
    credentials = outcome.credentials
    typer.echo(f"Created the GitHub App {credentials.slug} (id {credentials.id}): {credentials.html_url}")
    if outcome.error is not None:
        typer.echo(f"planbot: {outcome.error}", err=True)
        typer.echo(
            "planbot: generate a private key on the app's page and write the settings by hand (README, Configure).",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(f"Settings written to {outcome.env_file} (readable by you only).")
    if credentials.webhook_secret is None:
        typer.echo("planbot: GitHub gave no webhook secret: set one on the app's page and in WEBHOOK_SECRET.", err=True)
    typer.echo(f"Next: install it on repositories at {credentials.install_url}, then run planbot serve and planbot worker.")
