from datetime import UTC, datetime

import pytest

from bot.planning.naming import (
    MAX_BRANCH_BYTES,
    NamingConfig,
    NamingError,
    existing_feature,
    next_feature_number,
    plan_feature,
    read_naming_config,
    short_name,
)
from bot.planning.ports import MappingSource


# --- short names ---


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Add user authentication system", "user-authentication-system"),
        ("I want to add user authentication", "user-authentication"),
        ("Create a dashboard for analytics", "create-dashboard-analytics"),
        # exactly four meaningful words: all four are kept
        ("Implement OAuth2 integration for API", "implement-oauth2-integration-api"),
        # five or more: the first three
        ("Export approved expense reports nightly to ledger", "export-approved-expense"),
        # short words survive only as upper-case acronyms
        ("Add a UI for API keys", "ui-api-keys"),
        ("Add a ui for api keys", "api-keys"),
        ("Go to DB via QR code", "db-via-qr-code"),  # "go" dropped, "via" kept
        ("Phase 2 rollout", "phase-2-rollout"),
        ("Fix the bug", "fix-bug"),
    ],
)
def test_short_name_follows_spec_kit(title, expected):
    assert short_name(title) == expected


def test_short_name_stop_words_only_keeps_the_first_words():
    assert short_name("To do") == "to-do"
    assert short_name("It is to do, as we do") == "it-is-to"


def test_short_name_transliterates_other_scripts():
    assert short_name("Überweisungen für Händler") == "uberweisungen-fur-handler"
    assert short_name("Сводка расходов по отделам") == "svodka-raskhodov-otdelam"
    assert short_name("Ärzte-API für Krankenhäuser") == "arzte-api-fur-krankenhauser"


def test_short_name_of_japanese_keeps_only_ascii_words():
    assert short_name("経費精算の承認") == "feature"
    assert short_name("ユーザー認証の API を追加") == "api"
    assert short_name("ＡＰＩキーの管理") == "api"  # full-width letters normalised


def test_short_name_without_any_word_is_feature():
    assert short_name("!!! ???") == "feature"
    assert short_name("🚀🎉") == "feature"


# --- numbers ---


def test_next_number_takes_the_highest_folder_despite_gaps():
    paths = ["specs/001-a/spec.md", "specs/004-b/plan.md", "specs/002-c/spec.md", "README.md"]
    assert next_feature_number(paths, []) == "005"


def test_next_number_counts_branches_beyond_folders():
    paths = ["specs/001-a/spec.md"]
    assert next_feature_number(paths, ["main", "003-x", "dependabot/npm/foo-1.2"]) == "004"


def test_next_number_counts_remote_and_namespaced_branches():
    assert next_feature_number([], ["origin/005-x", "remotes/upstream/007-y"]) == "008"
    assert next_feature_number([], ["refs/heads/feature/012-z"]) == "013"
    assert next_feature_number([], ["* 014-current", "+ 015-in-a-worktree"]) == "016"


def test_next_number_ignores_files_timestamps_and_other_folders():
    paths = [
        "specs/020-notes.md",  # a file, not a feature folder
        "specs/20260319-143022-user-auth/spec.md",  # timestamp numbering
        "docs/050-old/spec.md",  # not under specs/
        "specs/12-short/spec.md",  # fewer than three digits
        "specs/003-real/spec.md",
    ]
    assert next_feature_number(paths, ["20260101-101010-x"]) == "004"


def test_next_number_starts_at_one_and_grows_past_999():
    assert next_feature_number([], []) == "001"
    assert next_feature_number(["specs/1000-big/spec.md"], []) == "1001"


def test_next_number_in_another_specs_folder():
    paths = ["apps/api/specs/009-x/spec.md", "specs/002-y/spec.md"]
    assert next_feature_number(paths, [], specs_dir="apps/api/specs") == "010"


# --- existing features ---


def test_existing_spec_folder_is_kept():
    feature = existing_feature("specs/004-expense-reports-approval/spec.md")
    assert feature is not None
    assert feature.number == "004"
    assert feature.short_name == "expense-reports-approval"
    assert feature.branch == "004-expense-reports-approval"
    assert feature.directory == "specs/004-expense-reports-approval"


def test_existing_timestamp_and_nested_folders():
    stamped = existing_feature("specs/20260319-143022-user-auth/spec.md")
    assert stamped is not None and stamped.number == "20260319-143022" and stamped.short_name == "user-auth"
    nested = existing_feature("packages/api/specs/012-y/contracts/openapi.yaml")
    assert nested is not None and nested.directory == "packages/api/specs/012-y"


def test_existing_folder_in_a_configured_specs_root():
    feature = existing_feature("features/021-x/spec.md", specs_dir="features/")
    assert feature is not None and feature.directory == "features/021-x"


@pytest.mark.parametrize(
    "path", [None, "", "docs/spec.md", "issue #12", "specs/004-/spec.md", "docs/2024-notes/spec.md", "004-x/spec.md"]
)
def test_paths_outside_feature_folders_have_no_feature(path):
    assert existing_feature(path) is None


def test_plan_feature_never_renumbers_an_existing_folder():
    source = MappingSource({"specs/004-x/spec.md": "# x", "specs/009-y/spec.md": "# y"})
    feature = plan_feature("Something else entirely", source, ["010-z"], spec_path="specs/004-x/spec.md")
    assert (feature.number, feature.branch, feature.directory) == ("004", "004-x", "specs/004-x")


def test_plan_feature_finds_a_templated_branch_of_an_existing_folder():
    source = MappingSource({"specs/004-x/spec.md": "# x"})
    feature = plan_feature("X", source, ["main", "origin/004-x", "alice/004-x"], spec_path="specs/004-x/spec.md")
    assert feature.branch == "alice/004-x"


# --- new features ---


def test_plan_feature_numbers_and_names_a_new_feature():
    source = MappingSource({"specs/001-a/spec.md": "", "specs/002-b/spec.md": ""})
    feature = plan_feature("Add a UI for API keys", source, ["origin/003-c"])
    assert feature.number == "004"
    assert feature.short_name == "ui-api-keys"
    assert feature.branch == "004-ui-api-keys"
    assert feature.directory == "specs/004-ui-api-keys"
    assert feature.path("plan.md") == "specs/004-ui-api-keys/plan.md"


def test_plan_feature_in_a_monorepo_specs_folder():
    source = MappingSource({"apps/web/specs/007-a/spec.md": ""})
    feature = plan_feature("Search orders", source, [], specs_dir="apps/web/specs/")
    assert feature.directory == "apps/web/specs/008-search-orders"


def test_plan_feature_truncates_long_names_to_the_branch_limit():
    title = "x" * 300
    feature = plan_feature(title, MappingSource({}), [])
    assert len(feature.branch.encode()) == MAX_BRANCH_BYTES
    assert feature.branch == f"001-{'x' * (MAX_BRANCH_BYTES - 4)}"
    assert feature.directory == f"specs/{feature.branch}"


# --- configuration: timestamps and branch templates ---


def test_no_configuration_means_sequential_default_branches():
    assert read_naming_config(MappingSource({})) == NamingConfig()


def test_timestamp_numbering_from_the_git_extension_config():
    source = MappingSource({".specify/extensions/git/git-config.yml": "branch_numbering: timestamp\n"})
    now = datetime(2026, 3, 19, 14, 30, 22, tzinfo=UTC)
    feature = plan_feature("Add user authentication", source, ["005-x"], now=now)
    assert feature.number == "20260319-143022"
    assert feature.branch == "20260319-143022-user-authentication"
    assert feature.directory == "specs/20260319-143022-user-authentication"


def test_timestamp_numbering_from_init_options():
    source = MappingSource({".specify/init-options.json": '{"ai": "claude", "branch_numbering": "timestamp"}'})
    assert read_naming_config(source).numbering == "timestamp"
    sequential = MappingSource({".specify/init-options.json": '{"branch_numbering": "sequential"}'})
    assert read_naming_config(sequential).numbering == "sequential"


def test_git_config_wins_over_init_options():
    source = MappingSource(
        {
            ".specify/extensions/git/git-config.yml": "branch_numbering: sequential\n",
            ".specify/init-options.json": '{"branch_numbering": "timestamp"}',
        }
    )
    assert read_naming_config(source).numbering == "sequential"


def test_branch_template_names_the_branch_but_not_the_folder():
    config = '# comment\nbranch_numbering: sequential\nbranch_template: "{author}/{app}/{number}-{slug}"\n'
    source = MappingSource({".specify/extensions/git/git-config.yml": config, "specs/002-a/spec.md": ""})
    feature = plan_feature("Search orders", source, ["bob/shop/006-other"], author="Alice Smith", app="Shop")
    assert feature.branch == "alice-smith/shop/007-search-orders"
    assert feature.directory == "specs/007-search-orders"


def test_branch_prefix_is_shorthand_for_a_template():
    source = MappingSource({".specify/extensions/git/git-config.yml": "branch_prefix: features/\n"})
    assert read_naming_config(source).branch_template == "features/{number}-{slug}"
    feature = plan_feature("Search orders", source, [])
    assert feature.branch == "features/001-search-orders"


def test_template_tokens_fall_back_like_spec_kit():
    config = "branch_template: '{author}/{app}/{number}-{slug}'"
    source = MappingSource({".specify/extensions/git/git-config.yml": config})
    assert plan_feature("Search orders", source, []).branch == "unknown/app/001-search-orders"


@pytest.mark.parametrize(
    "template",
    ["{author}/{slug}", "{slug}-{number}", "{number}/{slug}", "feature-{number}-{slug}"],
)
def test_invalid_branch_templates_are_refused(template):
    source = MappingSource({".specify/extensions/git/git-config.yml": f'branch_template: "{template}"\n'})
    with pytest.raises(NamingError, match="branch_template"):
        read_naming_config(source)


def test_broken_naming_config_names_the_file():
    with pytest.raises(NamingError, match="git-config.yml"):
        read_naming_config(MappingSource({".specify/extensions/git/git-config.yml": "a: [1,\n"}))
    with pytest.raises(NamingError, match=r"init-options.json .*line 1"):
        read_naming_config(MappingSource({".specify/init-options.json": "{nope"}))
