import json
import re

import pytest

from bot.planning.decision_log import DecisionLogError
from bot.planning.feature import Feature
from bot.planning.ports import MappingSource
from bot.planning.repo_context import (
    ContextError,
    find_constitution,
    find_plan_template,
    load_clarifications,
    load_context,
    load_decision_log,
    merge_clarifications,
    parse_clarifications_log,
)
from bot.planning.spec import Clarification, Spec

CONSTITUTION = "# Acme Constitution\n\n## Core Principles\n\n### I. Boring tech\nUse PostgreSQL.\n"

LOG = {
    "feature": "Expense Reports with Receipt Capture and Approval",
    "clarifications": [
        {
            "id": "C001",
            "question": "Which accounting system?",
            "answer": "NetLedger, through its REST API.",
            "category": "integration",
            "timestamp": "2026-11-03T10:12:00Z",
            "decided_by": "finance-lead",
        },
        {
            "id": "C002",
            "question": "Keep receipts after leaving?",
            "answer": "Yes, 7 years.",
            "decided_by": ["legal", "hr"],
        },
    ],
}

FEATURE = Feature(
    number="004", short_name="expense-reports", branch="004-expense-reports", directory="specs/004-expense-reports"
)


# --- constitution ---


def test_constitution_is_read_from_specify_first():
    source = MappingSource(
        {".specify/memory/constitution.md": CONSTITUTION, "memory/constitution.md": "# Old Constitution\n"}
    )
    constitution = find_constitution(source)
    assert constitution is not None
    assert constitution.path == ".specify/memory/constitution.md"
    assert constitution.principles[0].label == "I. Boring tech"


def test_constitution_in_the_legacy_location():
    constitution = find_constitution(MappingSource({"memory/constitution.md": CONSTITUTION}))
    assert constitution is not None and constitution.path == "memory/constitution.md"


def test_no_or_empty_constitution():
    assert find_constitution(MappingSource({})) is None
    assert find_constitution(MappingSource({".specify/memory/constitution.md": "  \n"})) is None


# --- clarifications log ---


def test_clarifications_log_object():
    found = load_clarifications(MappingSource({".specify/memory/clarifications-log.json": json.dumps(LOG)}))
    assert [c.id for c in found] == ["C001", "C002"]
    assert found[0].question == "Which accounting system?"
    assert found[0].category == "integration"
    assert found[0].session == "2026-11-03"  # the date of the timestamp
    assert found[0].decided_by == "finance-lead"
    assert found[1].decided_by == "legal, hr"
    assert found[1].session is None


def test_clarifications_log_as_a_list_of_features_in_the_legacy_folder():
    other = {"feature": "Team calendar", "clarifications": [{"question": "Which timezone?", "answer": "UTC"}]}
    source = MappingSource({"memory/clarifications-log.json": json.dumps([LOG, other])})
    assert len(load_clarifications(source)) == 3
    mine = load_clarifications(source, feature=FEATURE, title="Expense Reports with Receipt Capture and Approval")
    assert [c.id for c in mine] == ["C001", "C002"]
    by_branch = [{"branch": "004-expense-reports", "clarifications": LOG["clarifications"]}, other]
    source = MappingSource({"memory/clarifications-log.json": json.dumps(by_branch)})
    assert len(load_clarifications(source, feature=FEATURE, title="Renamed")) == 2


def test_a_log_naming_one_feature_is_kept_after_a_retitle():
    source = MappingSource({".specify/memory/clarifications-log.json": json.dumps(LOG)})
    assert len(load_clarifications(source, feature=FEATURE, title="Something new")) == 2


def test_bare_list_of_clarifications():
    text = json.dumps([{"question": "Q1?", "answer": "A1", "session": "2026-01-02"}, {"question": "Q2?", "answer": ""}])
    found = load_clarifications(MappingSource({".specify/memory/clarifications-log.json": text}))
    assert [(c.question, c.answer, c.session) for c in found] == [("Q1?", "A1", "2026-01-02"), ("Q2?", "", None)]


def test_no_log_and_empty_log():
    assert load_clarifications(MappingSource({})) == []
    assert load_clarifications(MappingSource({".specify/memory/clarifications-log.json": "\n"})) == []


def test_broken_json_names_the_file_and_the_position():
    broken = '{\n  "feature": "x",\n  "clarifications": [,]\n}'
    source = MappingSource({".specify/memory/clarifications-log.json": broken})
    with pytest.raises(ContextError) as raised:
        load_clarifications(source)
    message = str(raised.value)
    assert ".specify/memory/clarifications-log.json" in message
    assert "line 3, column 22" in message  # the stray comma
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"clarifications": [{"answer": "A"}]}', "clarification 1 has no question"),
        ('[{"question": "Q?"}]', "entry 1 ('Q?') has no answer"),
        ('{"clarifications": "none"}', "not a list"),
        ('"just text"', "must hold an object or a list"),
        ("[1]", "entry 1 is not an object"),
    ],
)
def test_malformed_logs_say_what_is_wrong(text, problem):
    with pytest.raises(ContextError, match=re.escape(problem)):
        parse_clarifications_log(text, "memory/clarifications-log.json")


def test_merge_keeps_the_first_answer_to_each_question():
    spec_side = [Clarification(question="Which accounting system?", answer="From the spec")]
    log_side = [
        Clarification(question="which  accounting system", answer="From the log"),
        Clarification(question="Retention?", answer="7 years"),
    ]
    merged = merge_clarifications(spec_side, log_side)
    assert [(c.question, c.answer) for c in merged] == [
        ("Which accounting system?", "From the spec"),
        ("Retention?", "7 years"),
    ]


# --- decision log ---

DECISIONS = [
    {
        "feature": "Earlier",
        "branch": "001-earlier",
        "decisions": [{"id": "TD001", "category": "Data", "decision": "Option A: PostgreSQL", "topic": "database"}],
    }
]


def test_decision_log_from_specify_or_legacy_memory():
    for path in (".specify/memory/technical-decisions-log.json", "memory/technical-decisions-log.json"):
        log = load_decision_log(MappingSource({path: json.dumps(DECISIONS)}))
        assert [d.id for _, d in log.decisions()] == ["TD001"]
    assert load_decision_log(MappingSource({})).entries == []


def test_broken_legacy_decision_log_names_its_own_path():
    with pytest.raises(DecisionLogError, match=r"^memory/technical-decisions-log.json is not valid JSON"):
        load_decision_log(MappingSource({"memory/technical-decisions-log.json": "[{"}))


# --- plan template ---

OVERRIDE = ".specify/templates/overrides/plan-template.md"
CORE = ".specify/templates/plan-template.md"
LEGACY = "templates/plan-template.md"
EXTENSION = ".specify/extensions/jira/templates/plan-template.md"


def preset(name: str) -> str:
    return f".specify/presets/{name}/templates/plan-template.md"


def test_template_lookup_order():
    files = {
        OVERRIDE: "override",
        preset("alpha"): "alpha",
        EXTENSION: "extension",
        CORE: "core",
        LEGACY: "legacy",
    }
    expected = [
        (OVERRIDE, "override"),
        (preset("alpha"), "alpha"),
        (EXTENSION, "extension"),
        (CORE, "core"),
        (LEGACY, "legacy"),
    ]
    for path, text in expected:
        template = find_plan_template(MappingSource(files))
        assert template is not None
        assert (template.path, template.text) == (path, text)
        del files[path]
    assert find_plan_template(MappingSource(files)) is None


def test_presets_follow_registry_priority_and_skip_disabled_ones():
    registry = {
        "presets": {
            "zeta": {"priority": 1},
            "alpha": {"priority": 5},
            "beta": {"priority": 0, "enabled": False},
        }
    }
    files = {
        ".specify/presets/.registry": json.dumps(registry),
        preset("alpha"): "alpha",
        preset("beta"): "beta",
        preset("zeta"): "zeta",
        CORE: "core",
    }
    template = find_plan_template(MappingSource(files))
    assert template is not None and template.path == preset("zeta")


def test_presets_without_registry_go_alphabetically():
    hidden = ".specify/presets/.hidden/templates/plan-template.md"
    files = {preset("zeta"): "zeta", preset("alpha"): "alpha", hidden: "h"}
    template = find_plan_template(MappingSource(files))
    assert template is not None and template.path == preset("alpha")


def test_preset_strategies_compose_with_the_core_template():
    manifest = "provides:\n  templates:\n    - name: plan-template\n      type: template\n      strategy: {}\n"
    for strategy, expected in [
        ("prepend", "Top\n\nCore\n"),
        ("append", "Core\n\nBottom\n"),
        ("wrap", "<<Core\n>>\n"),
    ]:
        layer = {"prepend": "Top\n", "append": "Bottom\n", "wrap": "<<{CORE_TEMPLATE}>>\n"}[strategy]
        files = {
            ".specify/presets/team/preset.yml": manifest.format(strategy),
            preset("team"): layer,
            CORE: "Core\n",
        }
        template = find_plan_template(MappingSource(files))
        assert template is not None
        assert template.path == preset("team")
        assert template.text == expected


def test_preset_manifest_can_name_its_own_file():
    manifest = "provides:\n  templates:\n    - name: plan-template\n      file: docs/plan.md\n"
    files = {".specify/presets/team/preset.yml": manifest, ".specify/presets/team/docs/plan.md": "Mine", CORE: "Core"}
    template = find_plan_template(MappingSource(files))
    assert template is not None and (template.path, template.text) == (".specify/presets/team/docs/plan.md", "Mine")


def test_wrap_without_its_placeholder_is_an_error():
    manifest = "provides:\n  templates:\n    - name: plan-template\n      strategy: wrap\n"
    files = {".specify/presets/team/preset.yml": manifest, preset("team"): "no slot", CORE: "Core"}
    with pytest.raises(ContextError, match="CORE_TEMPLATE"):
        find_plan_template(MappingSource(files))


# --- the whole context ---


def test_load_context_assembles_everything():
    files = {
        ".specify/memory/constitution.md": CONSTITUTION,
        ".specify/memory/clarifications-log.json": json.dumps(LOG),
        ".specify/memory/technical-decisions-log.json": json.dumps(DECISIONS),
        ".specify/templates/plan-template.md": "# Implementation Plan: [FEATURE]\n",
        "services/api/pyproject.toml": '[project]\ndependencies = ["fastapi==0.110.0"]\n',
        "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    }
    spec = Spec(
        title="Expense Reports with Receipt Capture and Approval",
        format="spec-kit",
        clarifications=[
            Clarification(question="Which accounting system?", answer="NetLedger", session="2026-11-02"),
            Clarification(question="Who approves?", answer="The line manager"),
        ],
    )
    context = load_context(
        MappingSource(files),
        spec,
        spec_source="specs/004-expense-reports/spec.md",
        feature=FEATURE,
        user_context="Deploy on Kubernetes",
        package_root="services/api",
        private=True,
    )
    assert context.spec is spec
    assert context.spec_source == "specs/004-expense-reports/spec.md"
    assert context.feature == FEATURE
    assert context.constitution is not None and context.constitution.title == "Acme Constitution"
    assert [(c.question, c.answer) for c in context.clarifications] == [
        ("Which accounting system?", "NetLedger"),
        ("Who approves?", "The line manager"),
        ("Keep receipts after leaving?", "Yes, 7 years."),
    ]
    assert [d.id for _, d in context.decision_log.decisions()] == ["TD001"]
    assert context.plan_template is not None and context.plan_template.path == ".specify/templates/plan-template.md"
    assert context.stack.frameworks == ["FastAPI"]
    assert context.stack.databases == ["PostgreSQL"]
    assert context.user_context == "Deploy on Kubernetes"
    assert context.private is True


def test_load_context_of_a_bare_repository():
    spec = Spec(title="Anything", format="free-form")
    context = load_context(MappingSource({}), spec, spec_source="issue #7", feature=FEATURE)
    assert context.constitution is None
    assert context.clarifications == []
    assert context.decision_log.entries == []
    assert context.plan_template is None
    assert context.stack.empty
    assert context.user_context is None and context.private is False
