"""Reading the plans of a working copy: listing, decisions, artifacts and the paths refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mcp_plans_repo import CLI_FEATURE, HAND_FEATURE, NOT_A_PLAN, REFERENCE_FEATURE

from bot.mcp_server.plans import (
    PlanError,
    RepositoryPlans,
    UnknownArtifactError,
    UnknownFeatureError,
    UnsafePathError,
    normalize_specs_dir,
)
from bot.planning.decisions import DecisionStatus


@pytest.fixture(scope="module")
def plans(planned_repo: Path) -> RepositoryPlans:
    return RepositoryPlans(planned_repo)


def test_every_plan_folder_is_listed_with_branch_title_counts_and_files(plans: RepositoryPlans) -> None:
    listing = plans.plans()
    assert listing.specs_dir == "specs"
    assert [p.feature for p in listing.plans] == [CLI_FEATURE, REFERENCE_FEATURE, HAND_FEATURE]
    made = listing.plans[0]
    assert made.branch == CLI_FEATURE and made.number == "001"
    assert made.directory == f"specs/{CLI_FEATURE}"
    assert made.title == "Field Service Work Orders"
    assert made.decisions.decided == 1 and made.decisions.pending == 0
    assert made.decisions.provisional == made.decisions.total - 1 > 0
    for name in ("plan.md", "decisions.md", "tasks.md", "contracts/openapi.yaml"):
        assert name in made.files
    reference = listing.plans[1]
    assert reference.title == "Shared Reading Lists"
    assert (reference.decisions.decided, reference.decisions.provisional) == (2, 1)
    hand = listing.plans[2]
    assert hand.title == "Offline Sync"  # no plan.md: the title comes from spec.md
    assert (hand.decisions.pending, hand.decisions.blocked, hand.decisions.decided) == (1, 1, 1)
    assert hand.files == ["decisions.md", "spec.md"]


def test_a_folder_without_plan_or_decisions_is_not_a_plan(plans: RepositoryPlans) -> None:
    assert NOT_A_PLAN not in [p.feature for p in plans.plans().plans]
    with pytest.raises(UnknownFeatureError):
        plans.decisions(NOT_A_PLAN)


def test_specs_dir_is_configurable_and_may_be_missing(repo_copy: Path) -> None:
    (repo_copy / "specs").rename(repo_copy / "plans")
    assert RepositoryPlans(repo_copy).plans().plans == []
    moved = RepositoryPlans(repo_copy, "plans/")
    assert moved.specs_dir == "plans"
    assert len(moved.plans().plans) == 3
    assert moved.decisions("plans/001").feature == CLI_FEATURE


@pytest.mark.parametrize("bad", ["", "/etc", "../elsewhere", "specs/../..", "."])
def test_specs_dir_must_stay_inside_the_repository(bad: str) -> None:
    with pytest.raises(ValueError, match="inside the repository"):
        normalize_specs_dir(bad)


def test_decisions_of_a_cli_plan_carry_status_option_and_rationale(plans: RepositoryPlans) -> None:
    found = plans.decisions(CLI_FEATURE)
    assert found.directory == f"specs/{CLI_FEATURE}"
    first = found.decisions[0]
    assert first.id == "TD001" and first.status is DecisionStatus.DECIDED
    assert first.chosen_option == "B" and first.chosen_option_title
    assert first.category and first.title
    assert first.rationale == "Decided on the command line (--decide)."
    assert first.decided_by == "Test Person"
    rest = found.decisions[1:]
    assert rest and all(d.status is DecisionStatus.PROVISIONAL for d in rest)
    assert all(d.chosen_option == d.recommended_option is not None for d in rest)
    assert all("(PROVISIONAL" not in (d.chosen_option_title or "") for d in rest)
    lines = (plans.root / "specs" / CLI_FEATURE / "decisions.md").read_text(encoding="utf-8").splitlines()
    assert lines[first.line - 1].startswith("### TD001:")


def test_decisions_written_by_hand_pending_blocked_and_without_status(plans: RepositoryPlans) -> None:
    pending, blocked, settled = plans.decisions(HAND_FEATURE).decisions
    assert (pending.status, pending.chosen_option, pending.recommended_option) == (DecisionStatus.PENDING, None, "A")
    assert pending.category == "Data" and pending.title == "Where offline changes wait"
    assert (blocked.status, blocked.chosen_option) == (DecisionStatus.BLOCKED, None)
    assert settled.status is DecisionStatus.DECIDED
    assert (settled.chosen_option, settled.chosen_option_title) == ("B", "Polling every minute")
    assert settled.decided_by == "erin"


def test_reference_plan_decisions_use_the_colon_form(plans: RepositoryPlans) -> None:
    first, second, _ = plans.decisions(REFERENCE_FEATURE).decisions
    assert (first.chosen_option, first.chosen_option_title) == ("A", "PostgreSQL tables")
    assert second.status is DecisionStatus.PROVISIONAL and second.chosen_option_title == "Polling every 4 seconds"


@pytest.mark.parametrize("name", [CLI_FEATURE, "001", "1", f"specs/{CLI_FEATURE}/", f" {CLI_FEATURE} "])
def test_a_feature_is_named_by_folder_or_number(plans: RepositoryPlans, name: str) -> None:
    assert plans.decisions(name).feature == CLI_FEATURE


def test_an_unknown_feature_names_the_plans_there_are(plans: RepositoryPlans) -> None:
    with pytest.raises(UnknownFeatureError) as caught:
        plans.decisions("042")
    message = str(caught.value)
    assert "'042'" in message and "\n" not in message
    for feature in (CLI_FEATURE, REFERENCE_FEATURE, HAND_FEATURE):
        assert feature in message


def test_a_number_two_folders_share_is_ambiguous(repo_copy: Path) -> None:
    (repo_copy / "specs" / "001-other-thing").mkdir()
    (repo_copy / "specs" / "001-other-thing" / "plan.md").write_text("# Implementation Plan: Other\n", "utf-8")
    plans = RepositoryPlans(repo_copy)
    with pytest.raises(UnknownFeatureError, match=r"several plans.*001-field-service-work-orders.*001-other-thing"):
        plans.decisions("1")
    assert plans.decisions("001-other-thing").decisions == []


def test_a_timestamp_numbered_feature_is_found_by_its_timestamp(repo_copy: Path) -> None:
    folder = repo_copy / "specs" / "20260301-093000-audit-export"
    folder.mkdir()
    (folder / "plan.md").write_text("# Implementation Plan: Audit Export\n", encoding="utf-8")
    plans = RepositoryPlans(repo_copy)
    assert plans.plan("20260301-093000").feature == folder.name
    assert plans.plan(folder.name).number == "20260301-093000"


def test_no_plans_at_all_says_so(tmp_path: Path) -> None:
    with pytest.raises(UnknownFeatureError, match="no plans under specs/"):
        RepositoryPlans(tmp_path).decisions("1")


def test_an_artifact_is_read_by_its_name_in_the_folder(plans: RepositoryPlans) -> None:
    plan = plans.artifact("1", "plan.md")
    assert (plan.feature, plan.name, plan.path) == (CLI_FEATURE, "plan.md", f"specs/{CLI_FEATURE}/plan.md")
    assert "# Implementation Plan: Field Service Work Orders" in plan.text
    assert not plan.truncated and plan.size == len(plan.text.encode("utf-8"))
    contract = plans.artifact(CLI_FEATURE, "./contracts/openapi.yaml")
    assert contract.name == "contracts/openapi.yaml" and "openapi:" in contract.text


@pytest.mark.parametrize(
    "name",
    ["../../README.md", f"../{REFERENCE_FEATURE}/plan.md", "contracts/../../../README.md", "/etc/passwd", "~/x", ""],
)
def test_names_that_leave_the_folder_are_refused(plans: RepositoryPlans, name: str) -> None:
    with pytest.raises(UnsafePathError) as caught:
        plans.artifact(CLI_FEATURE, name)
    assert "\n" not in str(caught.value)


def test_links_out_of_the_folder_are_refused_and_not_listed(repo_copy: Path) -> None:
    folder = repo_copy / "specs" / CLI_FEATURE
    os.symlink(repo_copy / "README.md", folder / "readme-link.md")
    os.symlink(repo_copy / ".git", folder / "git-link")
    os.symlink(folder / "tasks.md", folder / "tasks-link.md")  # stays inside: served
    plans = RepositoryPlans(repo_copy)
    for name in ("readme-link.md", "git-link/config"):
        with pytest.raises(UnsafePathError, match="link that leads out"):
            plans.artifact(CLI_FEATURE, name)
    files = plans.plan(CLI_FEATURE).files
    assert "tasks-link.md" in files
    assert not any(f.startswith(("readme-link", "git-link")) for f in files)
    assert plans.artifact(CLI_FEATURE, "tasks-link.md").text == (folder / "tasks.md").read_text("utf-8")


def test_a_feature_folder_linked_from_outside_the_repository_is_not_a_plan(repo_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "plan.md").write_text("# Implementation Plan: Secret\n", encoding="utf-8")
    os.symlink(outside, repo_copy / "specs" / "009-linked")
    plans = RepositoryPlans(repo_copy)
    assert "009-linked" not in [p.feature for p in plans.plans().plans]
    with pytest.raises(UnknownFeatureError):
        plans.artifact("009-linked", "plan.md")


def test_an_unknown_artifact_or_a_folder_lists_the_files(plans: RepositoryPlans) -> None:
    with pytest.raises(UnknownArtifactError) as caught:
        plans.artifact(CLI_FEATURE, "nope.md")
    assert "tasks.md" in str(caught.value) and "contracts/openapi.yaml" in str(caught.value)
    with pytest.raises(UnknownArtifactError, match=r"is a folder.*contracts/openapi.yaml"):
        plans.artifact(CLI_FEATURE, "contracts")


def test_a_long_artifact_is_cut_between_characters_and_says_so(repo_copy: Path) -> None:
    folder = repo_copy / "specs" / CLI_FEATURE
    (folder / "long.md").write_text("a" + "é" * 1000, encoding="utf-8")  # 2001 bytes
    cut = RepositoryPlans(repo_copy).artifact(CLI_FEATURE, "long.md", limit=100)
    assert cut.truncated and cut.size == 2001
    assert cut.text == "a" + "é" * 49  # 99 bytes: the 100th would split a character
    whole = RepositoryPlans(repo_copy).artifact(CLI_FEATURE, "long.md", limit=2001)
    assert not whole.truncated and len(whole.text) == 1001


def test_a_binary_file_is_refused(repo_copy: Path) -> None:
    (repo_copy / "specs" / CLI_FEATURE / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(PlanError, match="not UTF-8 text"):
        RepositoryPlans(repo_copy).artifact(CLI_FEATURE, "diagram.png")


def test_the_repository_a_caller_names_must_be_this_one(plans: RepositoryPlans, tmp_path: Path) -> None:
    for same in (plans.root.name, ".", str(plans.root), str(plans.root / "specs")):
        plans.check_repository(same)
    for other in (str(tmp_path), "octo/elsewhere", "../repo"):
        with pytest.raises(PlanError, match=r"reads the plans of .* only"):
            plans.check_repository(other)
