"""Render research, quickstart, performance, security and testing artifacts for two very different
plans and check that each covers the planning method's bullets with this plan's own content."""

from __future__ import annotations

import re
import time

import pytest
from artifact_plan_factory import cli_plan, web_plan

from bot.planning.content.artifact_values import SECTIONS, artifact_values
from bot.planning.artifacts import PERFORMANCE, QUICKSTART, RESEARCH, SECURITY, TESTING
from bot.planning.contracts import InterfaceKind
from bot.planning.decisions import Conflict
from bot.planning.layout import ProjectLayout
from bot.planning.plan import Plan
from bot.planning.render import render_template
from bot.planning.stack import Stack

ARTIFACTS = (RESEARCH, QUICKSTART, PERFORMANCE, SECURITY, TESTING)


def render_all(plan: Plan) -> dict[str, str]:
    values = artifact_values(plan)
    return {a.name: render_template(a.template, plan=plan, **values) for a in ARTIFACTS}


@pytest.fixture(scope="module")
def web() -> dict[str, str]:
    return render_all(web_plan())


@pytest.fixture(scope="module")
def cli() -> dict[str, str]:
    return render_all(cli_plan())


def headings(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, re.MULTILINE)


@pytest.mark.parametrize("artifact", ARTIFACTS, ids=lambda a: a.name)
def test_every_method_bullet_has_a_section_in_both_plans(artifact, web, cli):
    for rendered in (web, cli):
        found = headings(rendered[artifact.name])
        for section in SECTIONS[artifact.name]:
            assert section in found, f"{artifact.name} lacks '## {section}'"


@pytest.mark.parametrize("artifact", ARTIFACTS, ids=lambda a: a.name)
def test_output_is_fully_rendered_and_differs_between_plans(artifact, web, cli):
    for rendered in (web[artifact.name], cli[artifact.name]):
        assert "{{" not in rendered and "{%" not in rendered
        assert not re.search(r"\bNone\b", rendered)
        assert "\n\n\n" not in rendered
        assert rendered.startswith("# ")
    assert web[artifact.name] != cli[artifact.name]
    assert "Volunteer shift scheduling" in web[artifact.name]
    assert "Lint CSV exports" in cli[artifact.name]


def test_research_names_every_decision_and_marks_provisional_ones(web, cli):
    research = web["research.md"]
    for td in web_plan().decisions:
        assert td.id in research
    assert "TD001 (Integration: Option A, Transactional outbox with idempotent export — PROVISIONAL DECISION)" in research
    assert "TD005 (Performance: Option A, Redis cache-aside for open shift lists — PROVISIONAL DECISION)" in research
    assert "TD002 (Technology: Option A, Server-Sent Events)" in research
    assert "TD002 (Technology: Option A, Server-Sent Events — PROVISIONAL" not in research
    assert "TD002 (Deployment: Option A, Single static binary on releases — PROVISIONAL DECISION)" in cli["research.md"]


def test_research_patterns_follow_the_decisions_in_force(web, cli):
    research = web["research.md"]
    assert "**Transactional outbox**" in research  # TD001 chose it
    assert "**Explicit state machine with guarded transitions** (from Signup)" in research
    assert "Transactional outbox" not in cli["research.md"]
    assert "**Thin command layer over a testable core**" in cli["research.md"]


def test_research_evaluates_chosen_and_rejected_options(web):
    research = web["research.md"]
    assert "| B. WebSocket | two-way | proxy trouble | moderate | Medium | Not chosen |" in research
    assert "TD002 Option B, **WebSocket**: not taken — proxy trouble." in research


def test_research_states_offline_limits_and_private_repository(web, cli):
    for rendered in (web["research.md"], cli["research.md"]):
        assert "no web search and no documentation lookup were performed" in rendered
        assert "steps 9 and 10" in rendered and "steps 11 and 12" in rendered
    assert "Version to be verified: Redis" in web["research.md"]
    assert "the spec text was not sent anywhere" in web["research.md"]
    assert "the spec text was not sent anywhere" not in cli["research.md"]


def test_research_integration_names_the_external_systems(web, cli):
    research = web["research.md"]
    assert "**payroll system** (named in FR-005, US3), via REST, OAuth2" in research
    assert "PayFlow, through its REST API with OAuth2 client credentials (C001)" in research
    assert "the spec names no external system" in cli["research.md"]


def test_research_escalated_security_risk_is_a_warning(web):
    assert "⚠️ **ESCALATED SECURITY RISK — Identity documents leak**" in web["research.md"]


def test_quickstart_fits_the_language_and_the_manifests(web, cli):
    assert "pip install -e '.[dev]'" in web["quickstart.md"]
    assert "go mod download" in cli["quickstart.md"]
    assert "pip install" not in cli["quickstart.md"]
    assert "| Python | 3.12 | Stack: pyproject.toml | language runtime |" in web["quickstart.md"]
    assert "| Go | 1.22 |" in cli["quickstart.md"]
    assert "| Redis | version to be verified |" in web["quickstart.md"]


def test_quickstart_env_lists_what_the_decisions_need(web, cli):
    quickstart = web["quickstart.md"]
    for setting in ("DATABASE_URL=postgresql://", "OIDC_ISSUER_URL=", "OBJECT_STORAGE_BUCKET=volunteer-shift-scheduling-dev",
                    "SMTP_HOST=", "PAYROLL_SYSTEM_CLIENT_SECRET=", "REDIS_URL="):
        assert setting in quickstart
    assert "WS_PING_INTERVAL_SECONDS" not in quickstart  # WebSocket was rejected
    assert "# Redis — TD005 (Performance: Option A, Redis cache-aside for open shift lists — PROVISIONAL DECISION)" in quickstart
    assert "SSE_HEARTBEAT_SECONDS=22" in quickstart
    assert "below the 45 s idle limit the spec mentions (Edge case)" in quickstart
    assert "Nothing to plan here for this feature: no datastore" in cli["quickstart.md"]


def test_quickstart_snippets_are_labelled_illustrative_and_compile(web, cli):
    for rendered in (web["quickstart.md"], cli["quickstart.md"]):
        assert "illustrative, not retrieved documentation" in rendered
    python_blocks = re.findall(r"```python\n(.*?)```", web["quickstart.md"], re.DOTALL)
    assert len(python_blocks) >= 3  # handler, SSE stream, first test
    for block in python_blocks:
        compile(block, "<snippet>", "exec")
    assert '@router.post("/shifts/{shift_id}/signups", status_code=201)' in web["quickstart.md"]
    assert "```go" in cli["quickstart.md"] and "flag.Parse()" in cli["quickstart.md"]


def test_quickstart_story_workflows_and_troubleshooting_follow_the_choices(web, cli):
    assert "US1: `pytest backend/tests -k US1`" in web["quickstart.md"]
    assert "US1: `go test ./... -run US1`" in cli["quickstart.md"]
    assert "keep the heartbeat at 22 s, below 45 s" in web["quickstart.md"]
    assert "`alembic upgrade head`" in web["quickstart.md"]
    assert "redirect_uri" not in cli["quickstart.md"]


def test_performance_plan_budgets_and_targets(web, cli):
    perf = web["performance-plan.md"]
    assert "| 99.9% | SC-003 | 43.8 min | 10.1 min | 8.77 h |" in perf
    assert "≈ **150 requests/s**" in perf
    assert "| Data store queries (cache misses) | 30% | 120 ms |" in perf
    assert "(SC-002; event path; percentile assumed)" in perf
    assert "Locust" in perf and "hyperfine" not in perf
    assert "add `ix_signups_shift_id_status`" in perf
    assert "| Shift | cache-aside in Redis for open shift lists, 60 s TTL |" in perf
    assert "CDN" in perf and "signed URLs" in perf
    cli_perf = cli["performance-plan.md"]
    assert "hyperfine" in cli_perf and "Locust" not in cli_perf
    assert "a CLI runs on demand, with no service to keep available" in cli_perf
    assert "(FR-002; command path; percentile assumed)" in cli_perf


def test_security_plan_threats_fit_the_interfaces(web, cli):
    security = web["security-plan.md"]
    for title in ("Cross-site request forgery", "Session hijacking or fixation", "Disclosure of Volunteer personal data",
                  "Events delivered to people who may not see them", "Duplicated or lost exchanges with the payroll system",
                  "Forced or conflicting Signup transitions", "Altered amounts in Shift"):
        assert title in security
    cli_security = cli["security-plan.md"]
    for absent in ("Cross-site request forgery", "Session hijacking", "Script injection", "HTTP API", "CSRF", "ZAP"):
        assert absent not in cli_security
    assert "Paths that escape the working directory" in cli_security
    assert "No browser front end holds a session" in cli_security


def test_security_plan_authorisation_quotes_the_spec(web, cli):
    security = web["security-plan.md"]
    assert 'FR-003: "Coordinators MUST only see signups for their own shifts."' in security
    assert "the caller may confirm the Signup that `signupId` names" in security
    assert "there is no sign-in" in cli["security-plan.md"]


def test_gdpr_only_with_personal_data(web, cli):
    assert "### GDPR — applies" in web["security-plan.md"]
    assert "72 hours" in web["security-plan.md"]
    assert "GDPR" not in cli["security-plan.md"]
    assert "HIPAA" not in web["security-plan.md"] and "PCI" not in web["security-plan.md"]


def test_security_plan_field_encryption_and_escalation(web):
    security = web["security-plan.md"]
    assert "`volunteers`: full_name, email, phone" in security
    assert "as Constitution: Security Requirements requires" in security
    assert security.index("⚠️ **ESCALATED SECURITY RISK") < security.index("## Threat Model")


def test_testing_strategy_scenarios_journeys_and_stages(web, cli):
    testing = web["testing-strategy.md"]
    assert "| US1-AS1 | an open shift | the volunteer signs up |" in testing
    assert "US2-AS1" in testing
    assert testing.index("**US1 (P1)") < testing.index("**US2 (P2)") < testing.index("**US3 (P3)")
    assert "test-first, as Constitution III. Test-first requires" in testing
    assert "Playwright" in testing and "Playwright" not in cli["testing-strategy.md"]
    assert "| Volunteer | `make_volunteer` | full_name, email, phone |" in testing
    assert "personal data is never copied from production" in testing
    assert "contracts/openapi.yaml" in testing and "contracts/cli.md" in cli["testing-strategy.md"]
    assert "PostgreSQL, Redis, Object storage (S3-compatible) as service containers" in testing
    assert "Integration tests on real files" in cli["testing-strategy.md"]
    assert "| Rule | `makeRule` |" in cli["testing-strategy.md"]


def test_rendering_is_fast():
    plans = [web_plan(), cli_plan()]
    start = time.perf_counter()
    for plan in plans:
        render_all(plan)
    assert time.perf_counter() - start < 1.0


def _variants() -> list[Plan]:
    """Plans in other shapes: a TypeScript API, an undecided language without figures, an events-only
    worker, a Rust library, and a Go HTTP service."""
    base = web_plan()
    typescript = base.model_copy(deep=True)
    typescript.layout = typescript.layout.model_copy(update={"language": "TypeScript", "file_extension": ".ts"})
    typescript.context.stack = Stack(languages=["TypeScript"], frameworks=["Express"], test_tools=["vitest"],
                                     manifests=["package.json", "package-lock.json"])
    typescript.context.constitution = None
    typescript.conflicts = [Conflict(decisions=["TD002", "TD006"], message="Open connections need sticky routing.")]
    undecided = base.model_copy(deep=True)
    undecided.layout = undecided.layout.model_copy(update={"language": "To be decided", "frontend_dir": None,
                                                           "project_type": "web service"})
    undecided.context.stack = Stack()
    undecided.context.constitution = None
    for requirement in undecided.context.spec.requirements:
        requirement.metrics = []
    for criterion in undecided.context.spec.success_criteria:
        criterion.metrics = []
    undecided.risks = []
    events_only = base.model_copy(deep=True)
    events_only.contracts.kinds = [InterfaceKind.EVENTS]
    events_only.contracts.operations = []
    go_http = base.model_copy(deep=True)
    go_http.layout = go_http.layout.model_copy(update={"language": "Go", "file_extension": ".go"})
    go_http.context.stack = Stack(languages=["Go"], manifests=["go.mod"])
    library = cli_plan()
    library.contracts.kinds = [InterfaceKind.LIBRARY]
    library.layout = ProjectLayout(language="Rust", project_type="library", source_root="src", test_root="tests",
                                   models_dir="src", services_dir="src", file_extension=".rs")
    library.context.stack = Stack(languages=["Rust"], manifests=["Cargo.toml"])
    return [typescript, undecided, events_only, go_http, library]


@pytest.mark.parametrize("plan", _variants(), ids=["typescript", "undecided", "events-only", "go-http", "rust-library"])
def test_other_plan_shapes_render_every_section(plan):
    rendered = render_all(plan)
    for artifact in ARTIFACTS:
        text = rendered[artifact.name]
        assert "{{" not in text and not re.search(r"\bNone\b", text)
        for section in SECTIONS[artifact.name]:
            assert f"## {section}" in text


def test_variants_adapt_to_their_shape():
    typescript, undecided, events_only, go_http, library = (render_all(p) for p in _variants())
    assert "npm ci" in typescript["quickstart.md"]
    assert 'router.post("/shifts/:shiftId/signups", requireUser' in typescript["quickstart.md"]
    assert 'import { expect, test } from "vitest";' in typescript["quickstart.md"]
    assert "k6" in typescript["performance-plan.md"]
    assert "- **Conflict** (TD002, TD006): Open connections need sticky routing." in typescript["research.md"]
    assert "the language is not decided yet" in undecided["quickstart.md"]
    assert "The spec states no performance figure." in undecided["performance-plan.md"]
    assert "**Question (availability)**" in undecided["performance-plan.md"]
    assert "### GDPR — applies" in undecided["security-plan.md"]  # the EU assumption still holds
    assert "Cross-site request forgery" not in undecided["security-plan.md"]  # no browser front end
    assert "Events delivered to people who may not see them" in events_only["security-plan.md"]
    assert "Access to another user's" not in events_only["security-plan.md"]
    assert 'r.PathValue("shiftId")' in go_http["quickstart.md"]
    assert "Unvalidated input through the public API" in library["security-plan.md"]
    assert "cargo fetch" in library["quickstart.md"]
