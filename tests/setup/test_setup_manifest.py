"""The manifest built from app.yml, and where the browser posts it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from bot.setup import SetupError
from bot.setup.manifest import (
    build_manifest,
    find_app_yml,
    github_host,
    load_app_manifest,
    manifest_form,
)

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK = "https://planbot.acme.example/api/github/webhooks"
CALLBACK = "http://127.0.0.1:3333/callback"


def test_the_manifest_carries_app_yml_and_the_deployment_urls() -> None:
    source = yaml.safe_load((ROOT / "app.yml").read_text(encoding="utf-8"))
    assert find_app_yml() == ROOT / "app.yml"

    manifest = json.loads(build_manifest(load_app_manifest(), webhook_url=WEBHOOK, redirect_url=CALLBACK).to_json())

    assert manifest["name"] == source["name"] == "planbot"
    assert manifest["url"] == source["url"]
    assert manifest["description"] == source["description"]
    assert manifest["public"] is False
    assert manifest["hook_attributes"] == {"url": WEBHOOK, "active": True}
    assert manifest["redirect_url"] == CALLBACK
    assert manifest["default_events"] == source["default_events"]
    assert "pull_request_review_comment" in manifest["default_events"]
    assert manifest["default_permissions"] == source["default_permissions"]
    assert manifest["default_permissions"]["contents"] == "write"
    assert manifest["default_permissions"]["members"] == "read"
    assert set(manifest) == {"name", "url", "description", "hook_attributes", "redirect_url", "public",
                             "default_events", "default_permissions"}  # nothing unset is sent


@pytest.mark.parametrize("bad", ["planbot.example.com/hooks", "ftp://planbot.example.com/", "https://", ""])
def test_a_webhook_url_that_is_not_http_is_refused(bad: str) -> None:
    with pytest.raises(SetupError, match="the webhook URL must be an http"):
        build_manifest(load_app_manifest(), webhook_url=bad, redirect_url=CALLBACK)


def test_a_mistyped_key_in_app_yml_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "app.yml"
    text = (ROOT / "app.yml").read_text(encoding="utf-8").replace("default_events:", "default_event:")
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(SetupError) as failure:
        load_app_manifest(broken)
    assert "default_event" in str(failure.value)
    assert "\n" not in str(failure.value)


def test_a_permission_level_github_does_not_know_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "app.yml"
    broken.write_text(
        "name: x\nurl: https://x.example\nhook_attributes: {url: https://x.example/h}\n"
        "default_permissions: {issues: writ}\n",
        encoding="utf-8",
    )
    with pytest.raises(SetupError, match=r"default_permissions\.issues"):
        load_app_manifest(broken)


def test_app_yml_that_is_not_yaml_is_refused_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "app.yml"
    broken.write_text("name: [planbot\n", encoding="utf-8")
    with pytest.raises(SetupError, match="not valid YAML"):
        load_app_manifest(broken)


def _state_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["state"][0]


def test_a_personal_app_is_created_on_github_com() -> None:
    form = manifest_form(load_app_manifest(), github_host())
    assert form.action == "https://github.com/settings/apps/new"
    assert form.post_url.startswith("https://github.com/settings/apps/new?state=")
    assert _state_of(form.post_url) == form.state
    assert github_host().api_url == "https://api.github.com"
    assert github_host("https://github.com/").enterprise is False


def test_an_organisation_app_is_created_in_the_organisation_settings() -> None:
    form = manifest_form(load_app_manifest(), github_host(), org="acme-corp")
    assert form.action == "https://github.com/organizations/acme-corp/settings/apps/new"


@pytest.mark.parametrize("url", ["https://ghe.example.com", "ghe.example.com", "https://ghe.example.com/",
                                 "https://ghe.example.com/api/v3"])
def test_enterprise_server_uses_the_same_pages_on_its_host(url: str) -> None:
    host = github_host(url)
    assert host.web_url == "https://ghe.example.com"
    assert host.api_url == "https://ghe.example.com/api/v3"
    assert host.enterprise
    assert manifest_form(load_app_manifest(), host).action == "https://ghe.example.com/settings/apps/new"
    assert (manifest_form(load_app_manifest(), host, org="platform").action
            == "https://ghe.example.com/organizations/platform/settings/apps/new")


def test_every_form_has_its_own_random_state() -> None:
    states = {manifest_form(load_app_manifest(), github_host()).state for _ in range(20)}
    assert len(states) == 20
    assert all(len(state) >= 40 for state in states)


@pytest.mark.parametrize("org", ["-acme", "acme/../evil", "ac me", "a" * 40, ""])
def test_an_organisation_name_github_would_not_have_is_refused(org: str) -> None:
    with pytest.raises(SetupError, match="--org"):
        manifest_form(load_app_manifest(), github_host(), org=org)


@pytest.mark.parametrize("url", ["ftp://ghe.example.com", "https://ghe.example.com/?x=1"])
def test_a_github_url_that_is_not_a_host_is_refused(url: str) -> None:
    with pytest.raises(SetupError, match="--github-url"):
        github_host(url)
