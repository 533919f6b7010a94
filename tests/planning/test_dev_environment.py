"""Tools, settings, local services and the snippet's parts for the quickstart."""

from __future__ import annotations

from artifact_plan_factory import cli_plan, web_plan

from bot.planning.content.dev_environment import DEFAULT_HEARTBEAT_S, dev_environment, idle_limit
from bot.planning.content.integrations import external_systems
from bot.planning.stack import Stack
from bot.planning.content.technologies import technologies_in_force
from bot.planning.content.toolchain import toolchain


def env_of(plan):
    return dev_environment(plan, toolchain(plan), technologies_in_force(plan), external_systems(plan))


def test_idle_limit_and_heartbeat():
    plan = web_plan()
    assert idle_limit(plan) == (45, "Edge case")
    env = env_of(plan)
    assert env.heartbeat_s == 22 and env.heartbeat_s < env.idle_limit_s
    plan.context.spec.edge_cases = []
    assert env_of(plan).heartbeat_s == DEFAULT_HEARTBEAT_S


def test_settings_follow_the_decisions_and_systems():
    env = {s.name: s for s in env_of(web_plan()).env}
    assert env["DATABASE_URL"].value == "postgresql://app:app@localhost:5432/volunteer_shift_scheduling"
    assert env["OBJECT_STORAGE_BUCKET"].decisions == ["TD004"]
    assert env["PAYROLL_SYSTEM_CLIENT_SECRET"].secret
    assert "SINGLE_SIGN_ON_BASE_URL" not in env  # the identity provider's settings come from OIDC
    assert not env_of(cli_plan()).env


def test_local_services_use_compose_when_the_repository_has_it():
    plan = web_plan()
    env = env_of(plan)
    assert [s.image for s in env.services][:2] == ["postgres:16", "redis"]
    plan.context.stack = Stack(services=["db", "cache"], containerised=True, manifests=["docker-compose.yml"])
    env = env_of(plan)
    assert env.compose and [s.name for s in env.services] == ["db", "cache"]


def test_run_migration_and_snippet():
    env = env_of(web_plan())
    assert env.run_command == "uvicorn volunteer_shifts.main:app --reload"
    assert env.migration.command == "alembic upgrade head" and env.needs_migrations
    assert (env.snippet.mode, env.snippet.route, env.snippet.params) == ("fastapi", "/shifts/{shift_id}/signups", ["shift_id"])
    cli = env_of(cli_plan())
    assert cli.snippet.mode == "cli-go" and cli.run_command == "go run ./cmd/lint-csv-exports"
    assert not cli.needs_migrations


def test_protocols_are_not_tools_to_install():
    names = [t.name for t in env_of(web_plan()).tools]
    assert "Server-Sent Events" not in names and "OpenID Connect" not in names
    assert "PostgreSQL" in names and "Alembic" in names
