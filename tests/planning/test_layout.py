"""project_layout: where the feature's code goes, for each kind of stack, and never an invented version."""

from __future__ import annotations

from tasks_plan_factory import context, decisions, spec

from bot.planning.constitution import Constitution, Principle
from bot.planning.layout import UNDECIDED, detect_language, directory_tree, project_layout, stated_frameworks
from bot.planning.spec import Requirement, Spec
from bot.planning.stack import Dependency, Stack


def _backend_spec() -> Spec:
    """A spec with no screen, page or browser in it: a pure back-end feature."""
    return Spec(
        title="Ledger reconciliation",
        format="spec-kit",
        requirements=[Requirement(id="FR-001", text="System MUST reconcile ledger entries with bank statements.")],
    )


def test_python_stack_lays_out_a_package_named_after_the_feature() -> None:
    layout = project_layout(context(), decisions(), has_http=True)
    assert layout.language == "Python"
    assert layout.source_root == "src/item_loans_fines"
    assert layout.models_dir == "src/item_loans_fines/models"
    assert layout.services_dir == "src/item_loans_fines/services"
    assert layout.api_dir == "src/item_loans_fines/api"
    assert layout.test_root == "tests"
    assert layout.file_extension == ".py"
    assert layout.test_path("contract", "createLoan") == "tests/contract/test_create_loan.py"
    assert layout.source_path(layout.models_dir, "ExpenseLine") == "src/item_loans_fines/models/expense_line.py"


def test_python_with_alembic_puts_migrations_where_alembic_keeps_them() -> None:
    layout = project_layout(context(), decisions(), has_http=True)
    assert layout.migration_path(3, "loans") == "migrations/versions/003_create_loans.py"
    assert layout.migrations_dir == "migrations/versions"


def test_jobs_dir_only_when_a_decision_calls_for_background_work() -> None:
    with_jobs = project_layout(context(), decisions(), has_http=True)
    without = project_layout(context(), [td for td in decisions() if td.topic != "background-processing"], has_http=True)
    assert with_jobs.jobs_dir == "src/item_loans_fines/jobs"
    assert without.jobs_dir is None


def test_no_http_interface_means_no_api_dir() -> None:
    layout = project_layout(context(the_spec=_backend_spec()), [], has_http=False)
    assert layout.api_dir is None
    assert layout.frontend_dir is None
    assert layout.project_type == "library"


def test_spec_that_speaks_of_pages_gets_a_frontend() -> None:
    layout = project_layout(context(), decisions(), has_http=True)
    assert layout.frontend_dir == "frontend/src"
    assert layout.project_type == "web application (frontend + backend)"
    assert "frontend/" in layout.tree


def test_typescript_stack_uses_ts_files_and_the_test_tool_naming() -> None:
    stack = Stack(
        languages=["TypeScript"],
        frameworks=["Express", "React"],
        test_tools=["jest"],
        dependencies=[Dependency(name="express", version="4.19.2", source="api/package.json"),
                      Dependency(name="react", version="18.3.1", source="web/package.json")],
        manifests=["api/package.json", "web/package.json"],
    )
    layout = project_layout(context(stack=stack), decisions(), has_http=True)
    assert layout.language == "TypeScript"
    assert layout.file_extension == ".ts"
    assert layout.source_root == "api/src/item_loans_fines"
    assert layout.api_dir == "api/src/item_loans_fines/routes"
    assert layout.test_path("integration", "US1 member borrows") == "api/tests/integration/us1-member-borrows.test.ts"
    assert layout.frontend_dir == "web/src"
    assert layout.frontend_extension == ".tsx"
    assert layout.frontend_path("pages", "Borrow an item") == "web/src/pages/BorrowAnItem.tsx"


def test_mocha_projects_keep_tests_in_test() -> None:
    stack = Stack(languages=["JavaScript"], frameworks=["Express"], test_tools=["mocha"], manifests=["package.json"])
    layout = project_layout(context(stack=stack, the_spec=_backend_spec()), [], has_http=True)
    assert layout.file_extension == ".js"
    assert layout.test_root == "test"


def test_go_stack_uses_internal_and_cmd() -> None:
    stack = Stack(languages=["Go 1.22"], test_tools=["go test"], manifests=["go.mod"])
    layout = project_layout(context(stack=stack), decisions(), has_http=True)
    assert layout.language == "Go"
    assert layout.source_root == "internal/item_loans_fines"
    assert layout.file_extension == ".go"
    assert layout.test_path("contract", "createLoan") == "tests/contract/create_loan_test.go"
    assert "cmd/" in layout.tree
    assert detect_language(context(stack=stack)).version == "1.22"


def test_java_and_rust_follow_their_conventions() -> None:
    java = project_layout(context(stack=Stack(languages=["Java 21"], manifests=["pom.xml"])), [], has_http=True)
    assert java.source_root == "src/main/java/item_loans_fines"
    assert java.test_root == "src/test/java/item_loans_fines"
    assert java.source_path(java.models_dir, "loan") == "src/main/java/item_loans_fines/model/Loan.java"
    rust = project_layout(context(stack=Stack(languages=["Rust"], manifests=["Cargo.toml"])), [], has_http=True)
    assert rust.source_root == "src/item_loans_fines"
    assert rust.file_extension == ".rs"


def test_empty_stack_follows_the_constitutions_language_rule() -> None:
    ctx = context(stack=Stack())
    layout = project_layout(ctx, decisions(), has_http=True)
    assert layout.language == "Python"
    stated = detect_language(ctx)
    assert stated.version == "3.12"
    assert stated.source.startswith("Constitution I.")
    frameworks = stated_frameworks(ctx)
    assert [f.name for f in frameworks] == ["FastAPI"]
    assert frameworks[0].version is None  # the constitution gives none, so none is invented


def test_nothing_stated_leaves_the_language_to_be_decided_with_neutral_paths() -> None:
    ctx = context(stack=Stack(), with_constitution=False, the_spec=_backend_spec())
    layout = project_layout(ctx, [], has_http=True)
    assert layout.language == UNDECIDED
    assert detect_language(ctx).version is None
    assert layout.file_extension == ""
    assert layout.source_root == "src/item_loans_fines"
    assert layout.source_path(layout.models_dir, "Loan") == "src/item_loans_fines/models/loan"
    assert layout.migration_path(1, "loans") == "migrations/001_create_loans.sql"


def test_constitution_naming_go_in_prose_is_read_but_the_word_go_alone_is_not() -> None:
    go_rule = Constitution(path="c.md", principles=[Principle(name="Stack", text="Services are written in Go 1.23.")])
    plain = Constitution(path="c.md", principles=[Principle(name="Reviews", text="Changes go through review.")])
    assert detect_language(context(stack=Stack()).model_copy(update={"constitution": go_rule})).name == "Go"
    assert detect_language(context(stack=Stack()).model_copy(update={"constitution": plain})).name == UNDECIDED


def test_package_name_is_snake_case_of_the_short_name() -> None:
    ctx = context()
    ctx = ctx.model_copy(update={"feature": ctx.feature.model_copy(update={"short_name": "2fa-login-Flow"})})
    layout = project_layout(ctx, [], has_http=True)
    assert layout.source_root == "src/feature_2fa_login_flow"


def test_directory_tree_draws_nested_folders() -> None:
    lines = directory_tree(["src/pkg/models", "src/pkg/services", "tests/unit"])
    assert lines == [
        "src/",
        "└── pkg/",
        "    ├── models/",
        "    └── services/",
        "tests/",
        "└── unit/",
    ]


def test_layout_tree_lists_the_source_test_and_migration_folders() -> None:
    layout = project_layout(context(the_spec=spec()), decisions(), has_http=True)
    text = "\n".join(layout.tree)
    for folder in ("item_loans_fines/", "models/", "services/", "api/", "jobs/", "contract/", "integration/", "versions/"):
        assert folder in text


def test_a_new_project_with_pages_splits_backend_and_frontend() -> None:
    layout = project_layout(context(stack=Stack(), with_constitution=False), [], has_http=True)
    assert layout.source_root == "backend/src/item_loans_fines"
    assert layout.test_root == "backend/tests"
    assert layout.frontend_dir == "frontend/src"
    assert layout.frontend_path("pages", "Borrow an item") == "frontend/src/pages/borrow-an-item/"


def test_a_manifest_without_a_version_takes_the_version_the_constitution_states() -> None:
    stated = detect_language(context(stack=Stack(languages=["Python"], manifests=["pyproject.toml"])))
    assert (stated.name, stated.version) == ("Python", "3.12")
    assert stated.source.startswith("Constitution I.")
