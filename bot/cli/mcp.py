"""`planbot mcp`: serve a repository's plans to coding agents over MCP, read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.local.git import find_repository

TOKEN_ENV = "PLANBOT_MCP_TOKEN"


def mcp(
    repo: Annotated[
        Path | None, typer.Option("--repo", help="The repository whose plans to serve (default: the current folder).")
    ] = None,
    specs_dir: Annotated[
        str, typer.Option("--specs-dir", help="The folder of the feature folders, relative to the repository.")
    ] = "specs",
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP instead of stdio (needs a token).")
    ] = False,
    host: Annotated[
        str, typer.Option("--host", help="With --http: the address to listen on; the default keeps it to this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="With --http: the port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar=TOKEN_ENV,
            show_envvar=True,
            help="With --http: the token every request must send as `Authorization: Bearer <token>`.",
        ),
    ] = None,
) -> None:
    """Serve the plans under specs/ to coding agents over MCP: list_plans, get_decisions, get_artifact."""
    base = (repo or Path.cwd()).resolve()
    if not base.is_dir():
        typer.echo(f"planbot: no such repository folder: {repo or base}", err=True)
        raise typer.Exit(2)
    root = find_repository(base) or base
    secret = (token or "").strip()
    if http and not secret:
        typer.echo(
            f"planbot: --http needs a token: pass --token or set {TOKEN_ENV}; "
            "clients then send it as `Authorization: Bearer <token>`.",
            err=True,
        )
        raise typer.Exit(2)

    from bot.logs import configure_logging
    from bot.mcp_server.plans import RepositoryPlans
    from bot.mcp_server.server import (
        build_server,
        http_url,
        is_local_host,
        serve_http,
        serve_stdio,
    )

    try:
        plans = RepositoryPlans(root, specs_dir)
    except ValueError as exc:
        typer.echo(f"planbot: --specs-dir {exc}", err=True)
        raise typer.Exit(2) from None
    configure_logging("WARNING", secrets=[secret] if secret else ())
    server = build_server(plans)
    if not http:
        try:
            serve_stdio(server)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        return
    if not is_local_host(host):
        typer.echo(
            f"planbot: listening on {host}, reachable from other machines; the token is all that guards it.",
            err=True,
        )
    typer.echo(f"planbot: serving the plans of {root} at {http_url(host, port)} (bearer token required)", err=True)
    serve_http(server, host=host, port=port, token=secret)
