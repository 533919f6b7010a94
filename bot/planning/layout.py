"""Where the feature's code goes: the project structure plan.md shows and tasks.md points at."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import NamedTuple

from pydantic import BaseModel, Field

from bot.planning.context import PlanningContext
from bot.planning.decisions import TechnicalDecision
from bot.planning.stack import Stack
from bot.planning.tasking.rules import COMMAND_LINE_PATTERN, UI_PATTERN, WEB_PATTERN, Concern, concern_of, name_words

UNDECIDED = "To be decided"

_PASCAL_EXTENSIONS = (".java", ".kt", ".cs", ".php")
_KEBAB_EXTENSIONS = (".ts", ".js")


def _snake(name: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", name_words(name))) or "item"


def _kebab(name: str) -> str:
    return _snake(name).replace("_", "-")


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in _snake(name).split("_"))


class ProjectLayout(BaseModel):
    language: str  # "Python", "TypeScript", "Go", … or "To be decided" when nothing says
    project_type: str  # "web service", "web application (frontend + backend)", "CLI", "library", "worker"
    source_root: str  # "src/expense_reports", "backend/src", …
    test_root: str  # "tests"
    models_dir: str
    services_dir: str
    api_dir: str | None = None  # None when the feature has no HTTP interface
    jobs_dir: str | None = None  # background jobs / workers, when the decisions call for them
    frontend_dir: str | None = None
    file_extension: str = ".py"
    tree: list[str] = Field(default_factory=list)  # the structure as lines of a directory tree
    # Where schema migrations go, as a pattern with {seq} and {table}, e.g.
    # "migrations/{seq:03d}_create_{table}.sql"; follows the migration tool the stack uses.
    migration_pattern: str = "migrations/{seq:03d}_create_{table}.sql"
    frontend_extension: str = ""  # ".tsx", ".vue", … for files under frontend_dir; "" when unknown

    def module_path(self, directory: str, stem: str) -> str:
        return f"{directory}/{stem}{self.file_extension}"

    def file_stem(self, name: str) -> str:
        """A file name (without extension) in this language's style: `expense_report`,
        `expense-report` or `ExpenseReport`."""
        if self.file_extension in _PASCAL_EXTENSIONS:
            return _pascal(name)
        if self.file_extension in _KEBAB_EXTENSIONS:
            return _kebab(name)
        return _snake(name)

    def source_path(self, directory: str, name: str) -> str:
        """The file for `name` inside one of the layout's directories."""
        return self.module_path(directory, self.file_stem(name))

    def test_path(self, kind: str, name: str) -> str:
        """A test file of one kind (`contract`, `integration`, `unit`, `performance`, `security`)."""
        ext = self.file_extension
        if ext == ".py":
            file = f"test_{_snake(name)}.py"
        elif ext == ".go":
            file = f"{_snake(name)}_test.go"
        elif ext in _KEBAB_EXTENSIONS:
            file = f"{_kebab(name)}.test{ext}"
        elif ext == ".cs":
            file = f"{_pascal(name)}Tests.cs"
        elif ext in _PASCAL_EXTENSIONS:
            file = f"{_pascal(name)}Test{ext}"
        elif ext == ".rb":
            file = f"{_snake(name)}_{'spec' if self.test_root.endswith('spec') else 'test'}.rb"
        elif ext == ".rs":
            file = f"{_snake(name)}.rs"
        else:
            file = f"{_snake(name)}_test"
        return f"{self.test_root}/{kind}/{file}"

    def migration_path(self, seq: int, table: str) -> str:
        return self.migration_pattern.format(seq=seq, table=table, Table=_pascal(table))

    @property
    def migrations_dir(self) -> str:
        """The folder the migration files go in."""
        folder = self.migration_pattern.rsplit("/", 1)[0] if "/" in self.migration_pattern else "."
        while "{" in folder:
            folder = folder.rsplit("/", 1)[0] if "/" in folder else "."
        return folder

    def frontend_path(self, area: str, name: str) -> str | None:
        """A front-end file, e.g. `frontend/src/pages/ReportStatus.tsx`; None without a front end."""
        if self.frontend_dir is None:
            return None
        ext = self.frontend_extension
        if not ext:  # no front-end framework chosen yet: a folder for the page
            return f"{self.frontend_dir}/{area}/{_kebab(name)}/"
        stem = _kebab(name) if ext in (".component.ts", ".ts", ".js") else _pascal(name)
        return f"{self.frontend_dir}/{area}/{stem}{ext}"


class Convention(NamedTuple):
    """How one language lays out a service. `{pkg}`/`{Pkg}` take the feature's package name."""

    name: str
    pattern: re.Pattern[str]  # matches the language in a stack entry or in prose
    extension: str
    manifests: tuple[str, ...]
    source_root: str
    dirs: tuple[str, str, str, str]  # models, services, api, jobs (relative to the source root)
    test_root: str
    extra_dirs: tuple[str, ...] = ()


CONVENTIONS: tuple[Convention, ...] = (
    Convention(
        "Python",
        re.compile(r"\bpython\b", re.I),
        ".py",
        ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Pipfile"),
        "src/{pkg}",
        ("models", "services", "api", "jobs"),
        "tests",
    ),
    Convention(
        "TypeScript",
        re.compile(r"\btypescript\b", re.I),
        ".ts",
        ("package.json", "tsconfig.json"),
        "src/{pkg}",
        ("models", "services", "routes", "jobs"),
        "tests",
    ),
    Convention(
        "JavaScript",
        re.compile(r"\bjavascript\b|\bnode(\.?js)?\b|\bdeno\b|\bbun\b", re.I),
        ".js",
        ("package.json",),
        "src/{pkg}",
        ("models", "services", "routes", "jobs"),
        "tests",
    ),
    Convention(
        "Go",
        re.compile(r"\bgolang\b|\bGo\b(?=\s*\d|\s*$|,|\)| with| service| module)|(?:in|with|using) Go\b"),
        ".go",
        ("go.mod",),
        "internal/{pkg}",
        ("model", "service", "httpapi", "jobs"),
        "tests",
        ("cmd/{pkg}",),
    ),
    Convention(
        "Kotlin",
        re.compile(r"\bkotlin\b", re.I),
        ".kt",
        ("build.gradle.kts",),
        "src/main/kotlin/{pkg}",
        ("model", "service", "api", "jobs"),
        "src/test/kotlin/{pkg}",
    ),
    Convention(
        "Java",
        re.compile(r"\bjava\b(?!\s*script)", re.I),
        ".java",
        ("pom.xml", "build.gradle"),
        "src/main/java/{pkg}",
        ("model", "service", "api", "jobs"),
        "src/test/java/{pkg}",
    ),
    Convention(
        "Rust",
        re.compile(r"\brust\b", re.I),
        ".rs",
        ("Cargo.toml",),
        "src/{pkg}",
        ("models", "services", "api", "jobs"),
        "tests",
    ),
    Convention(
        "C#",
        re.compile(r"c#|\.net\b|\bdotnet\b|\bcsharp\b", re.I),
        ".cs",
        (".csproj", ".sln"),
        "src/{Pkg}",
        ("Models", "Services", "Api", "Jobs"),
        "tests/{Pkg}.Tests",
    ),
    Convention(
        "Ruby",
        re.compile(r"\bruby\b|\brails\b", re.I),
        ".rb",
        ("Gemfile",),
        "app",
        ("models", "services", "controllers", "jobs"),
        "test",
    ),
    Convention(
        "PHP",
        re.compile(r"\bphp\b|\blaravel\b|\bsymfony\b", re.I),
        ".php",
        ("composer.json",),
        "src/{Pkg}",
        ("Models", "Services", "Http/Controllers", "Jobs"),
        "tests",
    ),
)

NEUTRAL = Convention(
    UNDECIDED,
    re.compile(r"(?!)"),
    "",
    (),
    "src/{pkg}",
    ("models", "services", "api", "jobs"),
    "tests",
)


class Framework(NamedTuple):
    name: str
    language: str
    pattern: re.Pattern[str]
    frontend_extension: str | None = None  # set for front-end frameworks


FRAMEWORKS: tuple[Framework, ...] = (
    Framework("FastAPI", "Python", re.compile(r"\bfastapi\b", re.I)),
    Framework("Django", "Python", re.compile(r"\bdjango\b", re.I)),
    Framework("Flask", "Python", re.compile(r"\bflask\b", re.I)),
    Framework("Express", "TypeScript", re.compile(r"\bexpress(\.js)?\b(?! (delivery|shipping))", re.I)),
    Framework("NestJS", "TypeScript", re.compile(r"\bnest(js|\.js)\b", re.I)),
    Framework("Fastify", "TypeScript", re.compile(r"\bfastify\b", re.I)),
    Framework("Spring Boot", "Java", re.compile(r"\bspring( boot)?\b", re.I)),
    Framework("Gin", "Go", re.compile(r"\bgin\b(?! and)", re.I)),
    Framework("Echo", "Go", re.compile(r"\blabstack/echo\b|\becho framework\b", re.I)),
    Framework("Ruby on Rails", "Ruby", re.compile(r"\brails\b", re.I)),
    Framework("Laravel", "PHP", re.compile(r"\blaravel\b", re.I)),
    Framework("ASP.NET Core", "C#", re.compile(r"asp\.net", re.I)),
    Framework("Actix Web", "Rust", re.compile(r"\bactix\b", re.I)),
    Framework("Axum", "Rust", re.compile(r"\baxum\b", re.I)),
    Framework("Next.js", "TypeScript", re.compile(r"\bnext(\.js|js)\b", re.I), ".tsx"),
    Framework("React", "TypeScript", re.compile(r"\breact\b", re.I), ".tsx"),
    Framework("Vue", "TypeScript", re.compile(r"\bvue(\.js|js)?\b|\bnuxt\b", re.I), ".vue"),
    Framework("Svelte", "TypeScript", re.compile(r"\bsvelte(kit)?\b", re.I), ".svelte"),
    Framework("Angular", "TypeScript", re.compile(r"\bangular\b", re.I), ".component.ts"),
    Framework("SolidJS", "TypeScript", re.compile(r"\bsolid(js|\.js)\b", re.I), ".tsx"),
)


class Stated(NamedTuple):
    """A language or framework someone stated, with its version when they gave one."""

    name: str
    version: str | None
    source: str  # "Stack: pyproject.toml", "Constitution I. Python services", "Decision TD002", …


_VERSION = re.compile(r"[\s-]*v?(\d+(?:\.\d+)*)\b")
_LANGUAGE_TOPIC = re.compile(r"language|runtime|framework|stack|platform", re.I)
_LANGUAGE_RULE = re.compile(r"language|written in|back-?end|services? (are|is)|stack|framework|runtime", re.I)


def _version_after(pattern: re.Pattern[str], text: str) -> tuple[bool, str | None]:
    """Whether `pattern` occurs in `text`, and the first version written right after an
    occurrence (`Python 3.12` -> `3.12`), if any."""
    present = False
    for match in pattern.finditer(text):
        present = True
        version = _VERSION.match(text[match.end() :])
        if version:
            return True, version.group(1)
    return present, None


def _stated_sources(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> list[tuple[str, str]]:
    """Prose that can state the language, most authoritative first: the constitution's
    language rules, the rest of the constitution, language decisions, the technical context."""
    out: list[tuple[str, str]] = []
    if context.constitution is not None:
        rules = context.constitution.rules()
        out += [(label, f"{label}. {text}") for label, text in rules if _LANGUAGE_RULE.search(f"{label} {text}")]
        out += [(label, f"{label}. {text}") for label, text in rules if not _LANGUAGE_RULE.search(f"{label} {text}")]
    for td in decisions:
        if _LANGUAGE_TOPIC.search(f"{td.topic} {td.title}"):
            out.append((f"Decision {td.id}", f"{td.effective.title}. {td.effective.summary}"))
    if context.user_context:
        out.append(("Technical context (user)", context.user_context))
    if context.spec.technical_context:
        out.append(("Technical Context (spec)", context.spec.technical_context))
    return out


def _convention(name: str) -> Convention:
    return next((c for c in CONVENTIONS if c.name == name), NEUTRAL)


def _framework_in(text: str, *, frontend: bool) -> Framework | None:
    """The first front-end (or, with `frontend=False`, back-end) framework the text names."""
    return next((f for f in FRAMEWORKS if bool(f.frontend_extension) is frontend and f.pattern.search(text)), None)


def _frontend_framework(stack: Stack) -> Framework | None:
    return _framework_in(" ".join(stack.frameworks + [d.name for d in stack.dependencies]), frontend=True)


def detect_language(context: PlanningContext, decisions: Sequence[TechnicalDecision] = ()) -> Stated:
    """The implementation language: the repository's stack first, then the constitution's
    language rule, a language decision, the technical context; "To be decided" when nothing
    says. The version is the one written down, never a guess."""
    stack = context.stack
    found: list[Stated] = []
    for entry in stack.languages:
        convention = next((c for c in CONVENTIONS if c.pattern.search(entry)), None)
        if convention is not None:
            source = f"Stack: {', '.join(stack.manifests)}" if stack.manifests else "Stack"
            found.append(Stated(convention.name, _version_after(convention.pattern, entry)[1], source))
    if found:
        backend = [s for s in found if s.name not in ("TypeScript", "JavaScript")]
        chosen = backend[0] if backend and _frontend_framework(stack) is not None else found[0]
        if chosen.version is None:  # the manifest names the language; the constitution may give its version
            convention = _convention(chosen.name)
            for source, text in _stated_sources(context, decisions):
                present, version = _version_after(convention.pattern, text)
                if present and version:
                    return Stated(chosen.name, version, source)
        return chosen
    for framework_name in stack.frameworks:
        framework = _framework_in(framework_name, frontend=False)
        if framework is not None:
            return Stated(framework.language, None, "Stack framework")
    for source, text in _stated_sources(context, decisions):
        for convention in CONVENTIONS:
            present, version = _version_after(convention.pattern, text)
            if present:
                return Stated(convention.name, version, source)
        framework = _framework_in(text, frontend=False)
        if framework is not None:
            return Stated(framework.language, None, source)
    return Stated(UNDECIDED, None, "Nothing in the stack, the constitution or the context states it")


def stated_frameworks(context: PlanningContext, decisions: Sequence[TechnicalDecision] = ()) -> list[Stated]:
    """Frameworks the stack pins (with their versions), else those the constitution, a
    decision or the technical context names (without versions, which nobody stated)."""
    stack = context.stack
    if stack.frameworks:
        return [Stated(name, stack.version_of(name), "Stack") for name in stack.frameworks]
    out: list[Stated] = []
    for source, text in _stated_sources(context, decisions):
        for framework in FRAMEWORKS:
            present, version = _version_after(framework.pattern, text)
            if present and all(s.name != framework.name for s in out):
                out.append(Stated(framework.name, version, source))
    return out


def _package_name(short_name: str) -> str:
    ident = "_".join(re.findall(r"[a-z0-9]+", short_name.lower())) or "feature"
    return ident if not ident[0].isdigit() else f"feature_{ident}"


def _manifest_dir(stack: Stack, convention: Convention) -> str | None:
    """The folder holding the language's manifest ("" for the root), None when none does."""
    for manifest in stack.manifests:
        path = PurePosixPath(manifest)
        if path.name in convention.manifests or path.suffix in convention.manifests:
            parent = str(path.parent)
            return "" if parent == "." else parent
    return None


def _dependency_names(stack: Stack) -> str:
    return " ".join(d.name.lower() for d in stack.dependencies)


def _migration_pattern(convention: Convention, stack: Stack, prefix: str, source_root: str) -> str:
    deps = _dependency_names(stack)
    frameworks = " ".join(stack.frameworks).lower()
    if convention.name == "Python" and "django" in f"{deps} {frameworks}":
        return f"{source_root}/migrations/{{seq:04d}}_create_{{table}}.py"
    if convention.name == "Python" and "alembic" in deps:
        return f"{prefix}migrations/versions/{{seq:03d}}_create_{{table}}.py"
    if convention.name in ("TypeScript", "JavaScript") and "prisma" in deps:
        return f"{prefix}prisma/migrations/{{seq:03d}}_create_{{table}}/migration.sql"
    if convention.name in ("Java", "Kotlin") and "flyway" in deps:
        return f"{prefix}src/main/resources/db/migration/V{{seq}}__create_{{table}}.sql"
    if convention.name == "Ruby":
        return f"{prefix}db/migrate/{{seq:03d}}_create_{{table}}.rb"
    if convention.name == "PHP" and "laravel" in f"{deps} {frameworks}":
        return f"{prefix}database/migrations/{{seq:03d}}_create_{{table}}_table.php"
    if convention.name == "Rust" and "diesel" in deps:
        return f"{prefix}migrations/{{seq:03d}}_create_{{table}}/up.sql"
    if convention.name == "Go" and "golang-migrate" in deps:
        return f"{prefix}migrations/{{seq:06d}}_create_{{table}}.up.sql"
    return f"{prefix}migrations/{{seq:03d}}_create_{{table}}.sql"


def _test_root(convention: Convention, stack: Stack) -> str:
    tools = " ".join(stack.test_tools).lower()
    if convention.name == "Ruby":
        return "spec" if "rspec" in tools or "rspec" in _dependency_names(stack) else "test"
    if convention.name in ("TypeScript", "JavaScript") and "mocha" in tools and "jest" not in tools:
        return "test"
    return convention.test_root


def _needs_jobs(decisions: Sequence[TechnicalDecision]) -> bool:
    return any(
        concern_of(td) is Concern.JOBS
        or any(fragment in " ".join(td.effective.traits).lower() for fragment in ("background-job", "queue", "worker", "schedul"))
        for td in decisions
    )


def _needs_frontend(context: PlanningContext) -> bool:
    spec = context.spec
    story_text = " ".join(f"{s.title} {s.description} {' '.join(x.text for x in s.scenarios)}" for s in spec.stories)
    spec_text = " ".join([spec.title, spec.summary, *(text for _, text in spec.statements())])
    stories_imply_ui = bool(UI_PATTERN.search(story_text))
    return (stories_imply_ui and _frontend_framework(context.stack) is not None) or bool(WEB_PATTERN.search(spec_text))


def _frontend_dir(stack: Stack, backend_dir: str | None) -> str:
    if _frontend_framework(stack) is not None:
        for manifest in stack.manifests:
            path = PurePosixPath(manifest)
            parent = str(path.parent)
            if path.name == "package.json" and parent not in (".", backend_dir or "."):
                return f"{parent}/src"
    return "frontend/src"


def _frontend_extension(context: PlanningContext, decisions: Sequence[TechnicalDecision]) -> str:
    framework = _frontend_framework(context.stack)
    if framework is None:
        chosen = " ".join(f"{td.effective.title} {td.effective.summary}" for td in decisions)
        framework = _framework_in(chosen, frontend=True)
    if framework is None or framework.frontend_extension is None:
        return ""
    languages = " ".join(context.stack.languages).lower()
    if framework.frontend_extension == ".tsx" and context.stack.languages and "typescript" not in languages:
        return ".jsx"
    return framework.frontend_extension


def _project_type(context: PlanningContext, has_http: bool, frontend: bool, jobs: bool) -> str:
    if frontend:
        return "web application (frontend + backend)"
    if has_http:
        return "web service"
    text = " ".join([context.spec.summary, context.user_context or "", *(t for _, t in context.spec.statements())])
    if COMMAND_LINE_PATTERN.search(text):
        return "CLI"
    return "worker" if jobs else "library"


def directory_tree(directories: Sequence[str]) -> list[str]:
    """Lines of a directory tree (`├──`, `└──`) for the given folders, in the order given."""
    root: dict[str, dict] = {}
    for directory in directories:
        node = root
        for part in directory.strip("/").split("/"):
            node = node.setdefault(part, {})
    lines: list[str] = []

    def walk(node: dict[str, dict], prefix: str) -> None:
        items = list(node.items())
        for index, (name, child) in enumerate(items):
            last = index == len(items) - 1
            lines.append(f"{prefix}{'└── ' if last else '├── '}{name}/")
            walk(child, prefix + ("    " if last else "│   "))

    for name, child in root.items():
        lines.append(f"{name}/")
        walk(child, "")
    return lines


def project_layout(
    context: PlanningContext, decisions: Sequence[TechnicalDecision], has_http: bool
) -> ProjectLayout:
    """The project structure for this feature, from the stack, the constitution and the decisions."""
    stack = context.stack
    language = detect_language(context, decisions)
    convention = _convention(language.name)
    pkg = _package_name(context.feature.short_name)
    names = {"pkg": pkg, "Pkg": "".join(p.capitalize() for p in pkg.split("_"))}

    frontend = _needs_frontend(context)
    jobs = _needs_jobs(decisions)
    manifest_dir = _manifest_dir(stack, convention) if convention is not NEUTRAL else None
    if manifest_dir is not None:
        prefix = f"{manifest_dir}/" if manifest_dir else ""
    else:
        prefix = "backend/" if frontend else ""

    source_root = prefix + convention.source_root.format(**names)
    test_root = prefix + _test_root(convention, stack).format(**names)
    models, services, api, job = (f"{source_root}/{d}" for d in convention.dirs)
    api_dir = api if has_http else None
    jobs_dir = job if jobs else None
    frontend_dir = _frontend_dir(stack, manifest_dir) if frontend else None

    migration_pattern = _migration_pattern(convention, stack, prefix, source_root)
    layout = ProjectLayout(
        language=language.name,
        project_type=_project_type(context, has_http, frontend, jobs),
        source_root=source_root,
        test_root=test_root,
        models_dir=models,
        services_dir=services,
        api_dir=api_dir,
        jobs_dir=jobs_dir,
        frontend_dir=frontend_dir,
        file_extension=convention.extension,
        migration_pattern=migration_pattern,
        frontend_extension=_frontend_extension(context, decisions) if frontend else "",
    )
    directories = [prefix + extra.format(**names) for extra in convention.extra_dirs]
    directories += [d for d in (models, services, api_dir, jobs_dir) if d]
    directories.append(layout.migrations_dir)
    directories += [f"{test_root}/{kind}" for kind in ("contract", "integration", "unit")]
    if frontend_dir:
        directories += [f"{frontend_dir}/{area}" for area in ("components", "pages", "services")]
    layout.tree = directory_tree(directories)
    return layout
