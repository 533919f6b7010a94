"""`.github/planbot.yml`: lookup order, `_extends`, and errors that name the bad key."""

from __future__ import annotations

import pytest
import redis

from bot.github.client import GitHubApp, Installation
from bot.github.repo_config import (
    CONFIG_PATH,
    ConfigSource,
    RepoConfig,
    RepoConfigError,
    load_repo_config,
    parse_extends,
)
from tests.fakegithub import FakeGitHub
from tests.fakegithub.fixtures import INSTALLATION_ID, OWNER, REPO, AppKey
from tests.github.support import make_settings

FULL = """\
labels:
  trigger: plan-me
voting:
  window_hours: 48
  quorum: 2
  seed_reactions: false
  voters:
    min_permission: maintain
    users: ["@lead"]
    teams: [architects, other-org/reviewers]
specs_dir: docs/specs/
branch_prefix: plan/
"""


def with_config(fake: FakeGitHub, text: str, repo: str = REPO, path: str = CONFIG_PATH) -> None:
    fake.push(OWNER, repo, "main", {path: text})


def error_of(inst: Installation, repo: str = REPO) -> RepoConfigError:
    with pytest.raises(RepoConfigError) as failure:
        load_repo_config(inst, OWNER, repo)
    return failure.value


def test_no_file_anywhere_gives_the_defaults(inst: Installation) -> None:
    loaded = load_repo_config(inst, OWNER, REPO)
    assert loaded.source is None and loaded.config == RepoConfig()
    assert loaded.config.labels.trigger == "needs-plan" and loaded.config.voting.window_hours == 72
    assert loaded.config.voting.voters.min_permission == "write" and loaded.config.voting.quorum == 1
    assert loaded.config.voting.seed_reactions and loaded.config.specs_dir == "specs"
    assert loaded.config.branch_prefix is None


def test_the_apps_trigger_label_is_the_default(
    fake_github: FakeGitHub, app_key: AppKey, redis_url: str, redis_client: redis.Redis
) -> None:
    settings = make_settings(fake_github, app_key, redis_url).model_copy(update={"trigger_label": "plan-please"})
    inst = GitHubApp(settings, redis_client).installation(INSTALLATION_ID)

    assert load_repo_config(inst, OWNER, REPO).config.labels.trigger == "plan-please"
    with_config(fake_github, "labels:\n  planned: done\n")
    labels = load_repo_config(inst, OWNER, REPO).config.labels
    assert (labels.trigger, labels.planned) == ("plan-please", "done")
    with_config(fake_github, "labels:\n  trigger: mine\n")
    assert load_repo_config(inst, OWNER, REPO).config.labels.trigger == "mine"


def test_the_repository_file(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, FULL)

    loaded = load_repo_config(inst, OWNER, REPO)

    config = loaded.config
    assert loaded.source == ConfigSource(owner=OWNER, repo=REPO)
    assert config.labels.trigger == "plan-me" and config.labels.planned == "planned"
    assert (config.voting.window_hours, config.voting.quorum, config.voting.seed_reactions) == (48, 2, False)
    assert config.voting.voters.users == ["lead"]
    assert config.voting.voters.teams == ["architects", "other-org/reviewers"]
    assert (config.specs_dir, config.branch_prefix) == ("docs/specs", "plan/")


def test_a_ref_reads_the_config_of_a_branch(fake_github: FakeGitHub, inst: Installation) -> None:
    fake_github.push(OWNER, REPO, "dev", {CONFIG_PATH: "voting:\n  quorum: 3\n"})
    assert load_repo_config(inst, OWNER, REPO, ref="dev").config.voting.quorum == 3
    assert load_repo_config(inst, OWNER, REPO).config.voting.quorum == 1


def test_the_owners_dot_github_repository_is_the_fallback(fake_github: FakeGitHub, inst: Installation) -> None:
    fake_github.add_repo(OWNER, ".github", files={CONFIG_PATH: "specs_dir: org-specs\n"})

    loaded = load_repo_config(inst, OWNER, REPO)

    assert loaded.source == ConfigSource(owner=OWNER, repo=".github")
    assert loaded.config.specs_dir == "org-specs"
    with_config(fake_github, "specs_dir: own\n")
    assert load_repo_config(inst, OWNER, REPO).config.specs_dir == "own"


@pytest.mark.parametrize(
    ("value", "base_repo", "base_path"),
    [
        ("shared", "shared", CONFIG_PATH),
        (f"{OWNER}/shared", "shared", CONFIG_PATH),
        ("shared:planbot/base.yml", "shared", "planbot/base.yml"),
        (f"{OWNER}/shared:planbot/base.yaml", "shared", "planbot/base.yaml"),
    ],
)
def test_extends_merges_shallowly(fake_github: FakeGitHub, inst: Installation, value: str, base_repo: str,
                                  base_path: str) -> None:
    base = "voting:\n  quorum: 4\n  window_hours: 24\nspecs_dir: base-specs\n_extends: elsewhere\n"
    fake_github.add_repo(OWNER, base_repo, files={base_path: base})
    with_config(fake_github, f"_extends: {value}\nvoting:\n  quorum: 2\n")

    loaded = load_repo_config(inst, OWNER, REPO)

    assert loaded.extends == ConfigSource(owner=OWNER, repo=base_repo, path=base_path)
    assert loaded.config.specs_dir == "base-specs"  # from the base
    assert loaded.config.voting.quorum == 2  # `voting` replaced whole: a shallow merge
    assert loaded.config.voting.window_hours == 72


def test_extends_of_a_missing_file_names_the_key(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, "specs_dir: x\n_extends: nowhere\n")
    error = error_of(inst)
    assert error.key == "_extends" and error.line == 2
    assert f"{OWNER}/nowhere:{CONFIG_PATH}" in str(error)


def test_an_unknown_key_is_named_with_its_line(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, "voting:\n  quorum: 2\n  windw_hours: 10\n")
    error = error_of(inst)
    assert error.key == "voting.windw_hours" and error.line == 3
    assert str(error) == f"{OWNER}/{REPO}:{CONFIG_PATH}, line 3: unknown key `voting.windw_hours`"


def test_a_bad_value_is_named(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, "labels:\n  trigger: go\nvoting:\n  quorum: 0\n")
    error = error_of(inst)
    assert error.key == "voting.quorum" and error.line == 4 and "greater than or equal to 1" in str(error)


def test_a_bad_key_in_the_extended_file_names_that_file(fake_github: FakeGitHub, inst: Installation) -> None:
    fake_github.add_repo(OWNER, "shared", files={CONFIG_PATH: "specs_dir: ok\nbogus: 1\n"})
    with_config(fake_github, "_extends: shared\n")
    error = error_of(inst)
    assert error.source == ConfigSource(owner=OWNER, repo="shared") and error.key == "bogus" and error.line == 2


def test_yaml_errors_name_the_line(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, "voting:\n  quorum: 2\n  voters: [a, b\nspecs_dir: x\n")
    error = error_of(inst)
    assert error.line is not None and error.line >= 3 and "not valid YAML" in str(error)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("- a\n- b\n", None),
        ("specs_dir: ../outside\n", "specs_dir"),
        ("specs_dir: a/../../b\n", "specs_dir"),
        ("branch_prefix: 'bad name'\n", "branch_prefix"),
        ("labels:\n  trigger: planned\n", "labels"),
        ("voting:\n  voters:\n    min_permission: owner\n", "voting.voters.min_permission"),
    ],
)
def test_other_invalid_files(fake_github: FakeGitHub, inst: Installation, text: str, key: str | None) -> None:
    with_config(fake_github, text)
    assert error_of(inst).key == key


def test_an_absolute_specs_dir_is_made_relative(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, "specs_dir: /abs\n")
    assert load_repo_config(inst, OWNER, REPO).config.specs_dir == "abs"


def test_an_empty_file_is_the_defaults(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, "# nothing set yet\n")
    loaded = load_repo_config(inst, OWNER, REPO)
    assert loaded.config == RepoConfig() and loaded.source is not None


def test_extends_values() -> None:
    source = ConfigSource(owner="acme", repo="widgets")
    assert parse_extends("o2/r2:x/y.yml", source) == ConfigSource(owner="o2", repo="r2", path="x/y.yml")
    for bad in ["", "a/b/c", "repo:file.txt", 3, "-bad/repo"]:
        with pytest.raises(RepoConfigError, match="_extends"):
            parse_extends(bad, source)


def test_label_specs_cover_every_label_once() -> None:
    specs = RepoConfig().labels.specs()
    assert [s.name for s in specs] == ["needs-plan", "needs-detail", "plan-in-review", "planned", "plan-rejected"]
    assert all(len(s.color) == 6 and s.description for s in specs)


def test_a_config_file_too_large_to_be_a_config_is_refused(fake_github: FakeGitHub, inst: Installation) -> None:
    with_config(fake_github, "specs_dir: specs\n" + "# padding\n" * 8000)
    with pytest.raises(RepoConfigError, match=r"bytes; a planbot config has at most 65,536"):
        load_repo_config(inst, OWNER, REPO)
