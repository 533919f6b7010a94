"""Technologies recognised in the options in force, the stack, the constitution and the spec."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.stack import Dependency
from bot.planning.content.technologies import TechKind, of_kind, technologies_in_force


def by_key(plan):
    return {t.key: t for t in technologies_in_force(plan)}


def test_only_options_in_force_count():
    found = by_key(web_plan())
    assert "sse" in found and found["sse"].decisions == ["TD002"]
    assert "websocket" not in found and "polling" not in found  # rejected options of TD002
    assert "redis" in found and found["redis"].provisional  # only a PROVISIONAL DECISION chose it


def test_sources_and_versions_come_from_the_repository():
    found = by_key(web_plan())
    postgres = found["postgresql"]
    assert postgres.version == "16" and postgres.version_source.startswith("Constitution II")
    assert found["fastapi"].version == "0.115.0" and found["fastapi"].version_source == "pyproject.toml"
    assert found["redis"].version is None  # never invented
    assert found["oidc"].version is None and not found["oidc"].technology.versioned
    assert set(found["oidc"].sources) == {"TD003", "FR-007"}
    assert "FR-008" in found["smtp"].sources  # "by email" in the spec


def test_a_pinned_dependency_gives_the_version():
    plan = web_plan()
    plan.context.stack.dependencies.append(Dependency(name="redis", version="5.0.1", source="pyproject.toml"))
    assert by_key(plan)["redis"].version == "5.0.1"


def test_the_word_email_as_an_attribute_is_not_an_email_channel():
    plan = cli_plan()
    plan.context.spec.requirements[0].text = "The tool MUST check the email column of every row."
    assert "smtp" not in by_key(plan)


def test_nothing_found_for_a_plain_cli():
    assert technologies_in_force(cli_plan()) == []


def test_of_kind():
    found = technologies_in_force(web_plan())
    assert [t.key for t in of_kind(found, TechKind.REALTIME)] == ["sse"]
    assert of_kind(found, TechKind.SEARCH) == []
