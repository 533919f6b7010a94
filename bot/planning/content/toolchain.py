"""The everyday commands and tools of the feature's language: set up, run, test, lint, audit,
load-test and fake data, chosen from what the repository's manifests show.

No versions here: a version comes from the repository (manifests, constitution) or is written
as "version to be verified".
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pydantic import BaseModel, Field

from bot.planning.contracts import InterfaceKind
from bot.planning.plan import Plan

TO_VERIFY = "version to be verified"
COMMAND_TIMER = "hyperfine"  # times whole command runs, whatever the language
LANGUAGE_NEUTRAL_LOAD_TOOL = "k6"  # scripts in JavaScript, whatever the service is written in
LANGUAGE_NEUTRAL_SAST = "semgrep scan --config auto"


class LanguageTools(BaseModel):
    """Well-known defaults for one language."""

    language: str  # "Python"
    runtime: str  # "Python", "Node.js"
    fence: str  # code-fence language of snippets: "python", "typescript"
    test_tools: list[str]  # candidates, the first is the default
    lint: list[str]
    dependency_audit: str
    sast: str
    load_tool: str  # for an HTTP or event interface
    micro_benchmark: str  # for a CLI's or library's hot paths
    fake_data: str
    unit_coverage: str  # the command that reports coverage


LANGUAGES: tuple[LanguageTools, ...] = (
    LanguageTools(language="Python", runtime="Python", fence="python", test_tools=["pytest", "unittest"],
                  lint=["ruff check .", "ruff format --check ."], dependency_audit="pip-audit",
                  sast="bandit -r . -x ./tests", load_tool="Locust", micro_benchmark="pytest-benchmark",
                  fake_data="Faker", unit_coverage="pytest --cov --cov-report=term-missing"),
    LanguageTools(language="TypeScript", runtime="Node.js", fence="typescript", test_tools=["vitest", "jest"],
                  lint=["npx eslint .", "npx tsc --noEmit"], dependency_audit="npm audit --audit-level=high",
                  sast="semgrep scan --config auto", load_tool="k6", micro_benchmark="vitest bench",
                  fake_data="@faker-js/faker", unit_coverage="npx vitest run --coverage"),
    LanguageTools(language="JavaScript", runtime="Node.js", fence="javascript", test_tools=["jest", "vitest"],
                  lint=["npx eslint ."], dependency_audit="npm audit --audit-level=high",
                  sast="semgrep scan --config auto", load_tool="k6", micro_benchmark="vitest bench",
                  fake_data="@faker-js/faker", unit_coverage="npx jest --coverage"),
    LanguageTools(language="Go", runtime="Go", fence="go", test_tools=["go test"],
                  lint=["go vet ./...", "golangci-lint run"], dependency_audit="govulncheck ./...",
                  sast="gosec ./...", load_tool="k6", micro_benchmark="go test -bench",
                  fake_data="gofakeit", unit_coverage="go test -cover ./..."),
    LanguageTools(language="Rust", runtime="Rust", fence="rust", test_tools=["cargo test"],
                  lint=["cargo fmt --check", "cargo clippy -- -D warnings"], dependency_audit="cargo audit",
                  sast="semgrep scan --config auto", load_tool="k6", micro_benchmark="criterion",
                  fake_data="fake (crate)", unit_coverage="cargo llvm-cov"),
    LanguageTools(language="Java", runtime="JDK", fence="java", test_tools=["JUnit 5"],
                  lint=["./mvnw -B verify (with the project's configured linters)"],
                  dependency_audit="OWASP dependency-check", sast="SpotBugs with FindSecBugs",
                  load_tool="Gatling", micro_benchmark="JMH", fake_data="Datafaker",
                  unit_coverage="JaCoCo report"),
    LanguageTools(language="Kotlin", runtime="JDK", fence="kotlin", test_tools=["JUnit 5"],
                  lint=["./gradlew ktlintCheck detekt"], dependency_audit="OWASP dependency-check",
                  sast="semgrep scan --config auto", load_tool="Gatling", micro_benchmark="JMH",
                  fake_data="Datafaker", unit_coverage="Kover report"),
    LanguageTools(language="Ruby", runtime="Ruby", fence="ruby", test_tools=["rspec", "minitest"],
                  lint=["bundle exec rubocop"], dependency_audit="bundle exec bundle-audit check --update",
                  sast="brakeman", load_tool="k6", micro_benchmark="benchmark-ips", fake_data="faker (gem)",
                  unit_coverage="SimpleCov report"),
    LanguageTools(language="C#", runtime=".NET SDK", fence="csharp", test_tools=["xUnit"],
                  lint=["dotnet format --verify-no-changes"],
                  dependency_audit="dotnet list package --vulnerable", sast="semgrep scan --config auto",
                  load_tool="k6", micro_benchmark="BenchmarkDotNet", fake_data="Bogus",
                  unit_coverage="dotnet test --collect:'XPlat Code Coverage'"),
)

_ALIASES = {"golang": "Go", "node": "JavaScript", "node.js": "JavaScript", "ts": "TypeScript", "js": "JavaScript",
            "csharp": "C#", ".net": "C#", "dotnet": "C#"}


def language_tools(language: str) -> LanguageTools | None:
    """The defaults for a language named like `Python`, `Python 3.12`, `typescript`; None when unknown."""
    word = language.strip().split(" ")[0].lower() if language.strip() else ""
    word = _ALIASES.get(word, word)
    return next((t for t in LANGUAGES if t.language.lower() == word.lower()), None)


class Toolchain(BaseModel):
    """The commands this feature's developers run, for its language and the repository's manifests."""

    language: str  # as the layout names it, e.g. "Python" or "To be decided"
    known: bool  # False when the language is not decided or not one planbot knows
    runtime: str
    runtime_version: str  # from the stack or the constitution, else "version to be verified"
    runtime_version_source: str | None = None
    fence: str
    manifests: list[str] = Field(default_factory=list)
    setup: list[str] = Field(default_factory=list)  # shell commands, in order
    setup_note: str = ""  # why the setup looks the way it does
    test_tool: str
    test_tool_from_stack: bool
    test_all: str
    test_story: str  # with `{story}` to fill, e.g. `pytest tests -k {story}`
    lint: list[str] = Field(default_factory=list)
    dependency_audit: str = ""
    sast: str = ""
    load_tool: str = ""
    micro_benchmark: str = ""
    command_timer: str = COMMAND_TIMER
    fake_data: str = ""
    coverage: str = ""
    package: str = ""  # importable package or module name derived from the source root


def _basenames(paths: list[str]) -> set[str]:
    return {PurePosixPath(p).name for p in paths}


def _runtime_version(plan: Plan, language: str) -> tuple[str, str | None]:
    pattern = re.compile(rf"\b{re.escape(language)}\s+v?(\d+(?:\.\d+){{0,2}})", re.IGNORECASE)
    for entry in plan.context.stack.languages:
        found = pattern.search(entry)
        if found:
            return found.group(1), "Stack: " + ", ".join(plan.context.stack.manifests or ["manifests"])
    constitution = plan.context.constitution
    if constitution is not None:
        for label, text in constitution.rules():
            found = pattern.search(f"{label} {text}")
            if found:
                return found.group(1), label
    return TO_VERIFY, None


def _setup(tools: LanguageTools, names: set[str]) -> tuple[list[str], str]:
    if tools.language == "Python":
        venv = ["python -m venv .venv", "source .venv/bin/activate"]
        if "uv.lock" in names:
            return ["uv sync"], "uv.lock found: uv creates the environment from the lock file."
        if "poetry.lock" in names:
            return ["poetry install"], "poetry.lock found: Poetry installs the locked dependencies."
        if "pyproject.toml" in names:
            return venv + ["pip install -e '.[dev]'"], (
                "pyproject.toml found: an editable install with the development extra "
                "(use the extra name your pyproject defines for test tools)."
            )
        if "requirements.txt" in names:
            extra = ["pip install -r requirements-dev.txt"] if "requirements-dev.txt" in names else []
            return venv + ["pip install -r requirements.txt", *extra], "requirements files found."
        return venv, "No Python manifest in the repository yet: the setup task creates pyproject.toml first."
    if tools.runtime == "Node.js":
        if "pnpm-lock.yaml" in names:
            return ["pnpm install --frozen-lockfile"], "pnpm-lock.yaml found."
        if "yarn.lock" in names:
            return ["yarn install --frozen-lockfile"], "yarn.lock found."
        if "package-lock.json" in names:
            return ["npm ci"], "package-lock.json found: a clean install from the lock file."
        if "package.json" in names:
            return ["npm install"], "package.json without a lock file: commit the lock file this creates."
        return ["npm init -y", "npm install"], "No package.json yet: the setup task creates it."
    if tools.language == "Go":
        if "go.mod" in names:
            return ["go mod download"], "go.mod found."
        return ["go mod init <module path>", "go mod tidy"], "No go.mod yet: the setup task creates it."
    if tools.language == "Rust":
        return ["cargo fetch", "cargo build"], "Cargo resolves the dependencies from Cargo.toml."
    if tools.runtime == "JDK":
        if "pom.xml" in names:
            return ["./mvnw -B dependency:go-offline"], "pom.xml found."
        return ["./gradlew dependencies"], "Gradle build found or to be created by the setup task."
    if tools.language == "Ruby":
        return ["bundle install"], "Bundler installs the Gemfile's dependencies."
    if tools.language == "C#":
        return ["dotnet restore"], ".NET restores the project's packages."
    return [], ""


def _test_commands(tool: str, test_root: str) -> tuple[str, str]:
    lowered = tool.lower()
    if lowered == "pytest":
        return f"pytest {test_root}", f"pytest {test_root} -k {{story}}"
    if lowered == "unittest":
        return f"python -m unittest discover {test_root}", f"python -m unittest discover {test_root} -k {{story}}"
    if lowered == "vitest":
        return "npx vitest run", "npx vitest run -t {story}"
    if lowered == "jest":
        return "npx jest", "npx jest -t {story}"
    if lowered in ("mocha",):
        return "npx mocha", "npx mocha --grep {story}"
    if lowered == "go test":
        return "go test ./...", "go test ./... -run {story}"
    if lowered == "cargo test":
        return "cargo test", "cargo test {story}"
    if lowered.startswith("junit"):
        return "./mvnw -B test", "./mvnw -B test -Dtest='*{story}*'"
    if lowered == "rspec":
        return "bundle exec rspec", "bundle exec rspec --tag {story}"
    if lowered == "minitest":
        return "bin/rails test", "bin/rails test -n /{story}/"
    if lowered.startswith("xunit"):
        return "dotnet test", "dotnet test --filter {story}"
    return tool, f"{tool} (filtered to {{story}})"


def _package(source_root: str) -> str:
    parts = [p for p in PurePosixPath(source_root).parts if p not in ("src", "lib", "app", "backend", ".")]
    name = parts[-1] if parts else PurePosixPath(source_root).name or "app"
    return re.sub(r"\W+", "_", name).strip("_") or "app"


def performance_tool(plan: Plan, tools: Toolchain) -> str:
    """The tool that measures this feature's figures: a load tool for a served interface, a command
    timer for a CLI, a micro-benchmark harness for a library."""
    kinds = set(plan.contracts.kinds)
    if kinds & {InterfaceKind.HTTP, InterfaceKind.EVENTS}:
        return tools.load_tool
    if InterfaceKind.LIBRARY in kinds and InterfaceKind.CLI not in kinds:
        return tools.micro_benchmark
    return tools.command_timer


def toolchain(plan: Plan) -> Toolchain:
    layout = plan.layout
    tools = language_tools(layout.language)
    stack = plan.context.stack
    names = _basenames(stack.manifests)
    if tools is None:
        test_tool = stack.test_tools[0] if stack.test_tools else "the test runner the language decision brings"
        return Toolchain(
            language=layout.language, known=False, runtime="the language runtime (to be decided)",
            runtime_version=TO_VERIFY, fence="text", manifests=stack.manifests, test_tool=test_tool,
            test_tool_from_stack=bool(stack.test_tools), test_all=test_tool,
            test_story=f"{test_tool} (filtered to {{story}})", sast=LANGUAGE_NEUTRAL_SAST,
            load_tool=LANGUAGE_NEUTRAL_LOAD_TOOL, micro_benchmark="the benchmark harness of the chosen language",
            package=_package(layout.source_root),
        )
    version, version_source = _runtime_version(plan, tools.language)
    from_stack = [t for t in stack.test_tools if t.lower() in {c.lower() for c in tools.test_tools}]
    test_tool = from_stack[0] if from_stack else tools.test_tools[0]
    test_all, test_story = _test_commands(test_tool, layout.test_root)
    setup, note = _setup(tools, names)
    return Toolchain(
        language=layout.language, known=True, runtime=tools.runtime, runtime_version=version,
        runtime_version_source=version_source, fence=tools.fence, manifests=stack.manifests,
        setup=setup, setup_note=note, test_tool=test_tool, test_tool_from_stack=bool(from_stack),
        test_all=test_all, test_story=test_story, lint=tools.lint, dependency_audit=tools.dependency_audit,
        sast=tools.sast, load_tool=tools.load_tool, micro_benchmark=tools.micro_benchmark,
        fake_data=tools.fake_data, coverage=tools.unit_coverage, package=_package(layout.source_root),
    )
