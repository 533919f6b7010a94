"""Trading a manifest code for the app's credentials, against the fake GitHub."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from bot.setup import SetupError
from bot.setup.exchange import exchange_code
from bot.setup.manifest import build_manifest, load_app_manifest
from tests.fakegithub import FakeGitHub
from tests.listening import free_port

WEBHOOK = "https://planbot.acme.example/api/github/webhooks"


def _manifest_json() -> str:
    return build_manifest(load_app_manifest(), webhook_url=WEBHOOK,
                          redirect_url="http://127.0.0.1:3333/callback").to_json()


def test_a_code_becomes_the_new_app_with_its_key_and_secrets(fake_github: FakeGitHub) -> None:
    code = fake_github.manifest_code(_manifest_json(), owner="acme")

    credentials = exchange_code(fake_github.url, code)

    created = fake_github.created_apps()[-1]
    assert credentials.id == created.id
    assert credentials.slug == created.slug
    assert credentials.slug.startswith("planbot-")  # "planbot" is the fake's own app
    assert credentials.html_url == f"{fake_github.web_url}/apps/{credentials.slug}"
    assert credentials.install_url == f"{credentials.html_url}/installations/new"
    assert credentials.client_id == created.client_id
    assert credentials.client_secret.get_secret_value() == created.client_secret
    assert credentials.webhook_secret is not None
    assert credentials.webhook_secret.get_secret_value() == created.webhook_secret
    assert credentials.pem.get_secret_value() == created.pem
    load_pem_private_key(credentials.pem.get_secret_value().encode(), password=None)
    assert fake_github.manifests()[-1]["hook_attributes"]["url"] == WEBHOOK
    (request,) = fake_github.requests("POST", f"/app-manifests/{code}/conversions")
    assert request.status == 201 and request.auth is None  # the code is the only credential


def test_a_code_works_once(fake_github: FakeGitHub) -> None:
    code = fake_github.manifest_code(_manifest_json())
    exchange_code(fake_github.url, code)
    with pytest.raises(SetupError, match=r"GitHub does not know this code .* run `planbot setup` again"):
        exchange_code(fake_github.url, code)


def test_an_unknown_code_is_refused(fake_github: FakeGitHub) -> None:
    with pytest.raises(SetupError, match="GitHub does not know this code"):
        exchange_code(fake_github.url, "not-a-code")
    assert fake_github.requests("POST")[-1].status == 404


def test_a_server_error_is_one_line(fake_github: FakeGitHub) -> None:
    code = fake_github.manifest_code(_manifest_json())
    fake_github.fail(f"/app-manifests/{code}/conversions", status=502)
    with pytest.raises(SetupError) as failure:
        exchange_code(fake_github.url, code)
    assert str(failure.value).startswith("GitHub answered 502 to the manifest conversion")


def test_an_unreachable_github_is_named() -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v3"
    with pytest.raises(SetupError, match=f"cannot reach GitHub at {url}"):
        exchange_code(url, "abc", timeout=2)


def test_the_fake_refuses_a_manifest_github_would_refuse(fake_github: FakeGitHub) -> None:
    with pytest.raises(ValueError, match="url is required"):
        fake_github.manifest_code({"name": "planbot"})
