"""The whole `planbot setup` flow against the fake GitHub: the local page in a thread, and the
real command in its own process. The browser's trip to GitHub is skipped: the test records the
page's manifest with the fake and calls `/callback` with the code, as GitHub's redirect would."""

from __future__ import annotations

import html
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from githubkit import AppAuthStrategy, GitHub
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.settings import load_settings
from bot.setup.manifest import build_manifest, github_host, load_app_manifest, manifest_form
from bot.setup.server import SetupFlow, SetupServer, callback_url
from tests.fakegithub import FakeGitHub
from tests.listening import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK = "https://planbot.acme.example/api/github/webhooks"


def _flow(fake: FakeGitHub, env: Path, port: int, *, force: bool = False) -> SetupFlow:
    host = github_host(fake.web_url)  # the fake is laid out as a GitHub Enterprise Server
    manifest = build_manifest(load_app_manifest(), webhook_url=WEBHOOK, redirect_url=callback_url(port))
    return SetupFlow(manifest_form(manifest, host), host, env, force=force)


@pytest.fixture
def env(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return tmp_path / ".env"


@pytest.fixture
def server(fake_github: FakeGitHub, env: Path) -> Iterator[SetupServer]:
    port = free_port()
    with SetupServer(_flow(fake_github, env, port), port=port) as running:
        yield running


def _form(page: str) -> tuple[str, str]:
    """The form's target and the manifest it posts, as the browser would read them."""
    action = re.search(r'<form id="manifest-form" action="([^"]+)" method="post">', page)
    manifest = re.search(r'<input type="hidden" name="manifest" value="([^"]+)">', page)
    assert action is not None and manifest is not None, page
    return html.unescape(action.group(1)), html.unescape(manifest.group(1))


def _github_confirms(fake: FakeGitHub, page: str) -> tuple[str, str]:
    """What GitHub does with the posted form: records the manifest, answers with code and state."""
    action, manifest = _form(page)
    state = parse_qs(urlsplit(action).query)["state"][0]
    return fake.manifest_code(manifest, owner="alice"), state


def test_the_page_posts_the_manifest_to_github(fake_github: FakeGitHub, server: SetupServer) -> None:
    response = httpx.get(server.url)

    assert response.status_code == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    action, manifest_text = _form(response.text)
    assert action == f"{fake_github.web_url}/settings/apps/new?state={server.flow.form.state}"
    assert 'document.getElementById("manifest-form").submit()' in response.text
    manifest = json.loads(manifest_text)
    assert manifest["hook_attributes"]["url"] == WEBHOOK
    assert manifest["redirect_url"] == f"http://127.0.0.1:{server.port}/callback"
    assert manifest["default_events"] == load_app_manifest().default_events


def test_the_callback_writes_env_that_the_app_runs_with(
    fake_github: FakeGitHub, server: SetupServer, env: Path
) -> None:
    code, state = _github_confirms(fake_github, httpx.get(server.url).text)

    response = httpx.get(f"{server.url}callback", params={"code": code, "state": state})

    assert response.status_code == 200, response.text
    outcome = server.wait(timeout=5)
    assert outcome is not None and outcome.error is None and outcome.env_file == env.resolve()
    credentials = outcome.credentials
    assert html.escape(credentials.html_url) in response.text
    assert f'href="{html.escape(credentials.install_url)}"' in response.text
    assert stat.S_IMODE(env.stat().st_mode) == 0o600

    settings = load_settings(_env_file=env)
    assert settings.app_id == credentials.id == fake_github.created_apps()[-1].id
    assert settings.github_api_url == fake_github.url  # Enterprise Server: the API root is written
    assert settings.webhook_secret.get_secret_value() == fake_github.created_apps()[-1].webhook_secret
    assert "GITHUB_CLIENT_SECRET" in env.read_text(encoding="utf-8")

    # The key works with githubkit: a GitHub that knows the new app's public key accepts its JWT.
    key = load_pem_private_key(settings.private_key_pem().encode(), password=None)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    with FakeGitHub(app_id=settings.app_id, app_public_key_pem=public, app_slug=credentials.slug) as github:
        gh = GitHub(AppAuthStrategy(settings.app_id, settings.private_key_pem()), base_url=github.url,
                    http_cache=False, auto_retry=False)
        assert gh.rest.apps.get_authenticated().parsed_data.slug == credentials.slug

    # Reloading the final page does not trade the code again.
    again = httpx.get(f"{server.url}callback", params={"code": code, "state": state})
    assert again.status_code == 200
    assert len(fake_github.requests("POST", f"/app-manifests/{code}/conversions")) == 1


def test_a_wrong_state_writes_nothing(fake_github: FakeGitHub, server: SetupServer, env: Path) -> None:
    code, _ = _github_confirms(fake_github, httpx.get(server.url).text)

    for params in ({"code": code, "state": "forged"}, {"code": code}):
        response = httpx.get(f"{server.url}callback", params=params)
        assert response.status_code == 400
        assert "nothing was written" in response.text

    assert not env.exists()
    assert fake_github.requests("POST") == []  # the code was not even tried
    assert server.wait(timeout=0.3) is None  # and the setup keeps waiting


def test_a_missing_code_writes_nothing(server: SetupServer, env: Path) -> None:
    response = httpx.get(f"{server.url}callback", params={"state": server.flow.form.state})
    assert response.status_code == 400
    assert not env.exists()


def test_a_code_github_refuses_writes_nothing(fake_github: FakeGitHub, server: SetupServer, env: Path) -> None:
    response = httpx.get(f"{server.url}callback", params={"code": "expired", "state": server.flow.form.state})
    assert response.status_code == 502
    assert "GitHub does not know this code" in response.text
    assert not env.exists()
    assert server.wait(timeout=0.3) is None


def test_another_host_name_is_refused(server: SetupServer) -> None:
    """A page elsewhere that rebinds its name to 127.0.0.1 cannot read the state."""
    response = httpx.get(server.url, headers={"Host": f"evil.example:{server.port}"})
    assert response.status_code == 400
    assert server.flow.form.state not in response.text


def test_the_command_refuses_an_env_file_with_an_app(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("APP_ID=12\n", encoding="utf-8")
    port = free_port()

    result = CliRunner().invoke(cli, ["setup", "--no-browser", "--port", str(port), "--webhook-url", WEBHOOK,
                                      "--env-file", str(env)])

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"planbot: {env} already sets APP_ID=12: pass --force to replace that app's settings"
    ]
    assert env.read_text(encoding="utf-8") == "APP_ID=12\n"


def test_the_command_refuses_a_bad_webhook_url_in_one_line(clean_env: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(cli, ["setup", "--no-browser", "--webhook-url", "planbot.example.com"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "the webhook URL must be an http(s) URL" in result.stderr


def test_the_command_creates_the_app_and_exits(fake_github: FakeGitHub, clean_env: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    env = tmp_path / "deploy" / ".env"
    env.parent.mkdir()
    env.write_text("APP_ID=12\nREDIS_URL=redis://cache:6379/1\n", encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "setup", "--no-browser", "--force", "--port", str(port),
         "--github-url", fake_github.web_url, "--webhook-url", WEBHOOK, "--env-file", str(env)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        wait_until_listening(port, process, seconds=15, what="planbot setup")
        code, state = _github_confirms(fake_github, httpx.get(f"http://127.0.0.1:{port}/").text)
        response = httpx.get(f"http://127.0.0.1:{port}/callback", params={"code": code, "state": state})
        assert response.status_code == 200
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0, err
    created = fake_github.created_apps()[-1]
    assert f"Created the GitHub App {created.slug} (id {created.id})" in out
    assert f"{fake_github.web_url}/apps/{created.slug}/installations/new" in out
    settings = load_settings(_env_file=env)
    assert settings.app_id == created.id
    assert settings.redis_url == "redis://cache:6379/1"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert created.pem not in out + err  # secrets stay out of the terminal


def test_a_taken_port_is_named_in_one_line(clean_env: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["setup", "--no-browser", "--port", str(port), "--webhook-url", WEBHOOK])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"planbot: cannot listen on 127.0.0.1:{port} (") and line.endswith("pass another --port")


def test_the_webhook_url_is_asked_for_when_left_out(clean_env: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(cli, ["setup", "--no-browser", "--port", str(free_port())],
                                input="planbot.example.com\n")
    assert "Webhook URL GitHub posts to" in result.output
    assert result.exit_code == 2
    assert "the webhook URL must be an http(s) URL" in result.stderr
