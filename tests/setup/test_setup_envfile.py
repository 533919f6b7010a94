"""Writing the new app's settings into `.env`: merged, mode 0600, read back by the app's settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from bot.settings import load_settings
from bot.setup import SetupError
from bot.setup.envfile import existing_app_id, write_env
from bot.setup.exchange import AppCredentials

GHES_API = "https://ghe.example.com/api/v3"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_env_file_is_private_and_the_settings_read_it_back(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, credentials: AppCredentials
) -> None:
    env = tmp_path / ".env"
    old_umask = os.umask(0)  # even with nothing masked, the file is the owner's alone
    try:
        write_env(env, credentials)
    finally:
        os.umask(old_umask)

    assert _mode(env) == 0o600
    text = env.read_text(encoding="utf-8")
    assert len([line for line in text.splitlines() if line.startswith("PRIVATE_KEY=")]) == 1
    assert "\\n" in text and "-----END PRIVATE KEY-----\\n\"" in text  # one line, newlines escaped
    settings = load_settings(_env_file=env)
    assert settings.app_id == credentials.id
    assert settings.webhook_secret.get_secret_value() == credentials.webhook_secret.get_secret_value()
    assert settings.github_api_url == "https://api.github.com"
    assert settings.private_key is not None
    pem = credentials.pem.get_secret_value()
    assert settings.private_key.get_secret_value() == pem.strip() + "\n"  # real newlines once read
    assert settings.private_key_pem() == pem.strip() + "\n"
    load_pem_private_key(settings.private_key_pem().encode(), password=None)
    values = dict(line.split("=", 1) for line in text.splitlines())
    assert values["GITHUB_CLIENT_ID"] == f'"{credentials.client_id}"'
    assert values["GITHUB_CLIENT_SECRET"] == f'"{credentials.client_secret.get_secret_value()}"'
    assert "GITHUB_API_URL" not in values  # github.com is the default


def test_enterprise_server_gets_its_api_url(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, credentials: AppCredentials
) -> None:
    env = tmp_path / ".env"
    write_env(env, credentials, api_url=GHES_API)
    assert load_settings(_env_file=env).github_api_url == GHES_API


def test_other_settings_and_comments_are_kept(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, credentials: AppCredentials
) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# planbot on the team server\n"
        "REDIS_URL=redis://cache:6379/2\n"
        "export PLANBOT_TRIGGER_LABEL='plan-me'  # our label\n"
        "\n"
        "PLANBOT_LOG_LEVEL=DEBUG",  # no final newline
        encoding="utf-8",
    )
    env.chmod(0o644)
    write_env(env, credentials)

    text = env.read_text(encoding="utf-8")
    assert text.startswith(
        "# planbot on the team server\n"
        "REDIS_URL=redis://cache:6379/2\n"
        "export PLANBOT_TRIGGER_LABEL='plan-me'  # our label\n"
        "\n"
        "PLANBOT_LOG_LEVEL=DEBUG\n"
        "APP_ID="
    )
    assert _mode(env) == 0o600  # a readable file becomes private once it holds the key
    settings = load_settings(_env_file=env)
    assert settings.redis_url == "redis://cache:6379/2"
    assert settings.trigger_label == "plan-me"
    assert settings.app_id == credentials.id


def test_an_existing_app_id_is_refused_without_force(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, credentials: AppCredentials
) -> None:
    env = tmp_path / ".env"
    before = "APP_ID=12\nPRIVATE_KEY_PATH=/keys/old.pem\nWEBHOOK_SECRET=old\n"
    env.write_text(before, encoding="utf-8")
    with pytest.raises(SetupError) as failure:
        write_env(env, credentials)
    assert str(failure.value) == f"{env} already sets APP_ID=12: pass --force to replace that app's settings"
    assert env.read_text(encoding="utf-8") == before


def test_force_replaces_every_setting_of_the_previous_app(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, credentials: AppCredentials
) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "APP_ID=12\n"
        'PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nMIIold\n-----END RSA PRIVATE KEY-----"\n'  # over three lines
        "PRIVATE_KEY_PATH=/keys/old.pem\n"
        "REDIS_URL=redis://cache:6379/2\n"
        "GHE_HOST=old-ghe.example.com\n"
        "WEBHOOK_SECRET=old\n"
        "APP_ID=13\n",
        encoding="utf-8",
    )
    write_env(env, credentials, force=True)

    text = env.read_text(encoding="utf-8")
    assert "MIIold" not in text and "old.pem" not in text and "old-ghe" not in text and "=old" not in text
    assert text.count("APP_ID=") == 1 and text.startswith(f'APP_ID="{credentials.id}"\n')
    settings = load_settings(_env_file=env)
    assert settings.app_id == credentials.id
    assert settings.private_key_path is None
    assert settings.github_api_url == "https://api.github.com"
    assert settings.redis_url == "redis://cache:6379/2"
    assert existing_app_id(env) == str(credentials.id)


def test_an_empty_app_id_is_not_an_app(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, credentials: AppCredentials
) -> None:
    env = tmp_path / ".env"
    env.write_text("APP_ID=\n", encoding="utf-8")
    write_env(env, credentials)
    assert load_settings(_env_file=env).app_id == credentials.id


def test_a_symlinked_env_file_is_written_through(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, credentials: AppCredentials
) -> None:
    real = tmp_path / "secrets" / "planbot.env"
    real.parent.mkdir()
    link = tmp_path / ".env"
    link.symlink_to(real)
    assert write_env(link, credentials) == real.resolve()
    assert link.is_symlink() and _mode(real) == 0o600
    assert load_settings(_env_file=link).app_id == credentials.id


def test_a_missing_folder_is_named(tmp_path: Path, credentials: AppCredentials) -> None:
    with pytest.raises(SetupError, match="does not exist"):
        write_env(tmp_path / "nowhere" / ".env", credentials)
