"""The local web page that walks a browser through GitHub's manifest flow.

`/` posts the manifest form to GitHub (on its own, with a button as the fallback); GitHub sends
the browser back to `/callback?code=…&state=…`, where the state is checked, the code exchanged
for the app's credentials and `.env` written. The page then shows the app and its install link,
and `SetupServer.wait()` returns so that the command can exit.

It listens on 127.0.0.1 only and answers only to `127.0.0.1`/`localhost` as the Host, so that a
web page elsewhere cannot reach it through DNS rebinding and read the state.
"""

from __future__ import annotations

import html
import secrets
import socket
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict
from starlette.background import BackgroundTask
from starlette.middleware.trustedhost import TrustedHostMiddleware

from bot.setup import SetupError
from bot.setup.envfile import write_env
from bot.setup.exchange import AppCredentials, exchange_code
from bot.setup.manifest import GitHubHost, ManifestForm

LOCAL_HOST = "127.0.0.1"
CALLBACK_PATH = "/callback"
START_SECONDS = 10.0
STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}"
    "code{background:#f6f8fa;padding:0 .25rem;border-radius:4px}"
    "button,.button{font:inherit;padding:.5rem 1rem;border:0;border-radius:6px;background:#1f883d;color:#fff;"
    "cursor:pointer;text-decoration:none;display:inline-block}"
    ".error{color:#d1242f}"
)


def callback_url(port: int) -> str:
    """Where GitHub sends the browser back to: this page's callback."""
    return f"http://{LOCAL_HOST}:{port}{CALLBACK_PATH}"


class SetupOutcome(BaseModel):
    """The app GitHub created, and the settings file written (None, with `error`, when it could
    not be: the app exists all the same, and its page can issue a new private key)."""

    model_config = ConfigDict(frozen=True)

    credentials: AppCredentials
    env_file: Path | None
    error: str | None = None


class SetupFlow:
    """One run of the setup: the form to send, where the credentials go, and how it ended."""

    def __init__(self, form: ManifestForm, host: GitHubHost, env_file: Path, *, force: bool = False,
                 account: str | None = None, client: httpx.Client | None = None) -> None:
        self.form = form
        self.host = host
        self.env_file = env_file
        self.force = force
        self.account = account  # the organisation the app is for; None for the person's own account
        self.client = client  # the HTTP client for the code exchange (a fresh one when None)
        self.outcome: SetupOutcome | None = None
        self.done = threading.Event()  # set once the final page has been sent
        self._lock = threading.Lock()

    def complete(self, code: str) -> SetupOutcome:
        """Exchange `code` and write the settings, once; SetupError when the exchange fails."""
        with self._lock:
            if self.outcome is not None:
                return self.outcome
            credentials = exchange_code(self.host.api_url, code, client=self.client)
            api_url = self.host.api_url if self.host.enterprise else None
            try:
                written = write_env(self.env_file, credentials, api_url=api_url, force=self.force)
                self.outcome = SetupOutcome(credentials=credentials, env_file=written)
            except SetupError as exc:
                self.outcome = SetupOutcome(credentials=credentials, env_file=None, error=str(exc))
            return self.outcome


def create_setup_app(flow: SetupFlow) -> FastAPI:
    """The two pages of the flow, for `flow`."""
    app = FastAPI(title="planbot setup", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[LOCAL_HOST, "localhost"])

    def page(status: int, title: str, body: str, *, finish: bool = False, script: str = "") -> HTMLResponse:
        headers = {
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",  # the callback's URL holds the code
            # No form-action: GitHub may send the posted form on through its sign-in or an SSO provider.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
        }
        text = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><main><h1>{html.escape(title)}</h1>{body}</main>{script}</body></html>"
        )
        return HTMLResponse(text, status_code=status, headers=headers,
                            background=BackgroundTask(flow.done.set) if finish else None)

    @app.get("/", response_class=HTMLResponse)
    def start() -> HTMLResponse:
        if flow.outcome is not None:
            return page(200, "The app is created", _outcome_html(flow.outcome))
        manifest = flow.form.manifest
        owner = f"the organisation <b>{html.escape(flow.account)}</b>" if flow.account else "your account"
        body = (
            f"<p>GitHub will ask you to confirm the app <b>{html.escape(manifest.name)}</b> for {owner} on "
            f"<code>{html.escape(flow.host.web_url)}</code> (you may change its name there). Its webhooks go to "
            f"<code>{html.escape(manifest.hook_attributes.url)}</code>.</p>"
            f'<form id="manifest-form" action="{html.escape(flow.form.post_url)}" method="post">'
            f'<input type="hidden" name="manifest" value="{html.escape(manifest.to_json())}">'
            '<button type="submit">Create the GitHub App</button></form>'
        )
        script = '<script>document.getElementById("manifest-form").submit()</script>'
        return page(200, "Create planbot's GitHub App", body, script=script)

    @app.get(CALLBACK_PATH, response_class=HTMLResponse)
    def callback(code: str | None = None, state: str | None = None) -> HTMLResponse:
        if not state or not secrets.compare_digest(state.encode(), flow.form.state.encode()):
            return page(400, "Not this setup", "<p class=error>This link does not belong to the running "
                        "<code>planbot setup</code>: nothing was written. Start again from its page.</p>")
        if not code:
            return page(400, "No code", "<p class=error>GitHub sent no code back: nothing was written.</p>")
        try:
            outcome = flow.complete(code)
        except SetupError as exc:
            return page(502, "GitHub did not hand over the app",
                        f"<p class=error>{html.escape(str(exc))}</p><p>Nothing was written.</p>")
        status = 200 if outcome.error is None else 500
        return page(status, "The app is created", _outcome_html(outcome), finish=True)

    return app


def _outcome_html(outcome: SetupOutcome) -> str:
    credentials = outcome.credentials
    app_link = f'<a href="{html.escape(credentials.html_url)}">{html.escape(credentials.slug)}</a>'
    install = (
        f'<p><a class="button" href="{html.escape(credentials.install_url)}">Install it on repositories</a></p>'
    )
    if outcome.error is not None:
        return (
            f"<p>GitHub created the app {app_link} (id {credentials.id}), but the settings could not be saved:</p>"
            f"<p class=error>{html.escape(outcome.error)}</p>"
            "<p>On the app's page, generate a private key and write the settings by hand (see the README, "
            "“Configure”). You can close this page.</p>" + install
        )
    return (
        f"<p>GitHub created the app {app_link} (id {credentials.id}); its settings are in "
        f"<code>{html.escape(str(outcome.env_file))}</code>. You can close this page.</p>" + install
    )


class SetupServer:
    """The setup pages served by uvicorn on 127.0.0.1:`port` in a background thread."""

    def __init__(self, flow: SetupFlow, *, port: int) -> None:
        self.flow = flow
        self.port = port
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{LOCAL_HOST}:{self.port}/"

    def start(self) -> SetupServer:
        """Listen and serve; SetupError when the port is taken or the server does not start."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((LOCAL_HOST, self.port))
        except OSError as exc:
            sock.close()
            raise SetupError(f"cannot listen on {LOCAL_HOST}:{self.port} ({exc.strerror}): pass another --port") from None
        self._socket = sock
        config = uvicorn.Config(create_setup_app(self.flow), log_config=None, log_level="warning", access_log=False,
                                lifespan="off", timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="planbot-setup", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self.stop()
                raise SetupError(f"the setup page did not start on {LOCAL_HOST}:{self.port}")
            time.sleep(0.01)
        return self

    def wait(self, timeout: float | None = None) -> SetupOutcome | None:
        """The outcome once the final page has been sent, or None after `timeout` seconds.
        Waits in short steps so that Ctrl-C reaches the caller at once."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.flow.done.wait(0.2):
            if deadline is not None and time.monotonic() > deadline:
                return None
        return self.flow.outcome

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> SetupServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
