"""What a developer needs to work on the feature: tools and versions, settings, local services,
run and migration commands, and the parts of an illustrative first handler.

Everything comes from the plan: the layout's language, the repository's manifests, the technologies
in force and the contract. Versions are the repository's own or "version to be verified".
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.planning.contracts import InterfaceKind, Operation
from bot.planning.content.hot_queries import is_http_operation, snake
from bot.planning.content.integrations import ExternalSystem
from bot.planning.plan import Plan
from bot.planning.content.technologies import FoundTechnology, TechKind, of_kind
from bot.planning.content.toolchain import TO_VERIFY, Toolchain

DEFAULT_HEARTBEAT_S = 15  # below the 30–60 s idle timeouts proxies commonly apply
_IDLE = re.compile(
    r"idle[^.;]*?(\d+)\s*(?:s\b|sec\b|secs\b|seconds?\b)|(\d+)\s*(?:s\b|sec\b|secs\b|seconds?\b)[^.;]*?\bidle",
    re.IGNORECASE,
)
_SERVICE_KINDS = (TechKind.DATABASE, TechKind.CACHE, TechKind.OBJECT_STORAGE, TechKind.BROKER, TechKind.SEARCH,
                  TechKind.EMAIL)
# Migration tools recognised in the manifests: dependency name -> (tool, command).
_MIGRATIONS: tuple[tuple[str, str, str], ...] = (
    ("alembic", "Alembic", "alembic upgrade head"),
    ("django", "Django migrations", "python manage.py migrate"),
    ("prisma", "Prisma Migrate", "npx prisma migrate dev"),
    ("knex", "Knex migrations", "npx knex migrate:latest"),
    ("typeorm", "TypeORM migrations", "npx typeorm migration:run"),
    ("sequelize", "Sequelize migrations", "npx sequelize-cli db:migrate"),
    ("flyway", "Flyway", "flyway migrate"),
    ("liquibase", "Liquibase", "liquibase update"),
    ("github.com/golang-migrate/migrate/v4", "golang-migrate", 'migrate -path migrations -database "$DATABASE_URL" up'),
    ("diesel", "Diesel", "diesel migration run"),
    ("sqlx", "SQLx", "sqlx migrate run"),
    ("rails", "Active Record migrations", "bin/rails db:migrate"),
    ("microsoft.entityframeworkcore", "EF Core migrations", "dotnet ef database update"),
)


class Tool(BaseModel):
    name: str
    version: str  # pinned version, or "version to be verified"
    source: str  # where the version (or the need) comes from
    purpose: str


class EnvSetting(BaseModel):
    name: str
    value: str
    comment: str
    secret: bool = False
    needed_by: str  # the technology or system that needs it
    decisions: list[str] = Field(default_factory=list)


class LocalService(BaseModel):
    name: str
    image: str | None  # "postgres:16", or None when the repository's compose file defines it
    version_known: bool
    from_compose: bool
    container: str = ""  # the container name for `docker run`
    run_options: str = ""  # ports and environment for `docker run`, before the image
    command: str = ""  # arguments after the image


# Ports, environment and command for a local container, by image name; `{db}` is the database name.
_RUN_OPTIONS: dict[str, tuple[str, str]] = {
    "postgres": ("-e POSTGRES_USER=app -e POSTGRES_PASSWORD=app -e POSTGRES_DB={db} -p 5432:5432", ""),
    "mysql": ("-e MYSQL_USER=app -e MYSQL_PASSWORD=app -e MYSQL_DATABASE={db} -e MYSQL_RANDOM_ROOT_PASSWORD=yes "
              "-p 3306:3306", ""),
    "mongo": ("-p 27017:27017", ""),
    "redis": ("-p 6379:6379", ""),
    "memcached": ("-p 11211:11211", ""),
    "minio/minio": ("-p 9000:9000 -p 9001:9001", "server /data --console-address :9001"),
    "axllent/mailpit": ("-p 1025:1025 -p 8025:8025", ""),
    "rabbitmq": ("-p 5672:5672", ""),
    "nats": ("-p 4222:4222", ""),
}


class MigrationTool(BaseModel):
    name: str
    command: str


class Snippet(BaseModel):
    """The parts of an illustrative handler for the contract's first operation."""

    mode: str  # "fastapi", "flask", "express", "go-http", "python-service", "cli-python", "cli-node", "cli-go", "none"
    fence: str
    operation: Operation | None = None
    function: str = ""  # snake_case or camelCase name of the handler
    route: str = ""  # the path with the framework's placeholder syntax
    example_path: str = ""  # the path with example ids, for the test
    params: list[str] = Field(default_factory=list)  # path parameters, snake_case
    service: str = ""  # the service module/object the handler calls
    package: str = ""
    command: str = ""  # for CLI snippets: the command name


class DevEnvironment(BaseModel):
    tools: list[Tool] = Field(default_factory=list)
    env: list[EnvSetting] = Field(default_factory=list)
    services: list[LocalService] = Field(default_factory=list)
    compose: bool = False
    migration: MigrationTool | None = None
    needs_migrations: bool = False
    run_command: str = ""
    framework: str | None = None  # key of the web framework in force
    heartbeat_s: int = DEFAULT_HEARTBEAT_S
    idle_limit_s: int | None = None
    idle_source: str | None = None
    snippet: Snippet
    tech_keys: list[str] = Field(default_factory=list)  # every technology in force, for troubleshooting tips


def idle_limit(plan: Plan) -> tuple[int | None, str | None]:
    """An idle-connection limit the spec mentions (proxies cutting idle connections), in seconds."""
    for source, text in plan.context.spec.statements():
        found = _IDLE.search(text)
        if found:
            return int(found.group(1) or found.group(2)), source
    if plan.context.user_context:
        found = _IDLE.search(plan.context.user_context)
        if found:
            return int(found.group(1) or found.group(2)), "Technical context"
    return None, None


def _database_name(plan: Plan) -> str:
    return re.sub(r"\W+", "_", plan.context.feature.short_name).strip("_") or "app"


def _tools(plan: Plan, tools: Toolchain, found: list[FoundTechnology], migration: MigrationTool | None) -> list[Tool]:
    stack = plan.context.stack
    out = [Tool(name=tools.runtime, version=tools.runtime_version,
                source=tools.runtime_version_source or "not pinned in the repository", purpose="language runtime")]
    for tech in of_kind(found, TechKind.FRAMEWORK, *_SERVICE_KINDS, TechKind.JOB_QUEUE):
        if not tech.technology.versioned:
            continue  # a protocol or hosted service: nothing to install or pin
        out.append(Tool(name=tech.name, version=tech.version or TO_VERIFY,
                        source=tech.version_source or ", ".join(tech.sources[:2]), purpose=tech.kind.value))
    version = stack.version_of(tools.test_tool) if tools.known else None
    out.append(Tool(name=tools.test_tool, version=version or TO_VERIFY,
                    source="Stack" if tools.test_tool_from_stack else "language default", purpose="tests"))
    if migration is not None:
        out.append(Tool(name=migration.name, version=TO_VERIFY, source="Stack", purpose="schema migrations"))
    if stack.containerised or any(t.technology.image for t in of_kind(found, *_SERVICE_KINDS)):
        out.append(Tool(name="Docker (with Compose)", version=TO_VERIFY,
                        source="Dockerfile/compose in the repository" if stack.containerised else "local services",
                        purpose="local services"))
    return out


def _system_prefix(system: ExternalSystem) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", system.name.upper()).strip("_")


def _env(plan: Plan, found: list[FoundTechnology], systems: list[ExternalSystem], heartbeat: int) -> list[EnvSetting]:
    db = _database_name(plan)
    slug = plan.context.feature.short_name
    out: list[EnvSetting] = []
    seen: set[str] = set()
    ordered = sorted(found, key=lambda f: (not f.decisions,))  # a decision's choice first
    for tech in ordered:
        for setting in tech.technology.settings:
            if setting.name in seen:
                continue
            seen.add(setting.name)
            value = (setting.example.replace("{db}", db).replace("{slug}", slug)
                     .replace("{heartbeat}", str(heartbeat)))
            out.append(EnvSetting(name=setting.name, value=value, comment=setting.comment, secret=setting.secret,
                                  needed_by=tech.name, decisions=tech.decisions))
    identity = bool(of_kind(found, TechKind.IDENTITY))
    for system in systems:
        if identity and {"OIDC", "SAML"} & set(system.protocols):
            continue  # the identity provider's settings are already there
        prefix = _system_prefix(system)
        slug = prefix.lower().replace("_", "-")
        entries = [(f"{prefix}_BASE_URL", f"https://{slug}.sandbox.example.test", "the sandbox, never production", False)]
        if "OAuth2" in system.protocols:
            entries += [(f"{prefix}_CLIENT_ID", f"{slug}-dev", "OAuth2 client credentials", False),
                        (f"{prefix}_CLIENT_SECRET", "replace-me", "from the secret store, never committed", True)]
        else:
            entries.append((f"{prefix}_API_TOKEN", "replace-me", "from the secret store, never committed", True))
        for name, value, comment, secret in entries:
            if name not in seen:
                seen.add(name)
                out.append(EnvSetting(name=name, value=value, comment=comment, secret=secret,
                                      needed_by=system.label, decisions=system.decisions))
    return out


def _services(plan: Plan, found: list[FoundTechnology]) -> list[LocalService]:
    stack = plan.context.stack
    if stack.containerised and stack.services:
        return [LocalService(name=s, image=None, version_known=True, from_compose=True) for s in stack.services]
    out = []
    db = _database_name(plan)
    for tech in of_kind(found, *_SERVICE_KINDS):
        image = tech.technology.image
        if image is None:
            continue
        options, command = _RUN_OPTIONS.get(image, ("", ""))
        out.append(LocalService(
            name=tech.name, image=f"{image}:{tech.version}" if tech.version else image,
            version_known=tech.version is not None, from_compose=False,
            container=f"{plan.context.feature.short_name}-{image.rsplit('/', 1)[-1]}",
            run_options=options.replace("{db}", db), command=command,
        ))
    return out


def _migration(plan: Plan) -> MigrationTool | None:
    names = {d.name.lower() for d in plan.context.stack.dependencies}
    for dep, tool, command in _MIGRATIONS:
        if dep in names:
            return MigrationTool(name=tool, command=command)
    return None


def _framework(found: list[FoundTechnology], tools: Toolchain) -> str | None:
    for tech in of_kind(found, TechKind.FRAMEWORK):
        if tech.technology.language is None or tools.language.lower().startswith(tech.technology.language.lower()) or (
            tech.technology.language == "TypeScript" and tools.runtime == "Node.js"
        ):
            return tech.key
    return None


def _run_command(plan: Plan, tools: Toolchain, framework: str | None) -> str:
    kinds = set(plan.contracts.kinds)
    if kinds and kinds <= {InterfaceKind.LIBRARY}:
        return ""  # a library has no entry point of its own
    package = tools.package
    if framework == "fastapi":
        return f"uvicorn {package}.main:app --reload"
    if framework == "flask":
        return f"flask --app {package} run --debug"
    if framework == "django":
        return "python manage.py runserver"
    if framework == "rails":
        return "bin/rails server"
    if framework == "spring":
        return "./mvnw spring-boot:run"
    short = plan.context.feature.short_name
    if tools.language == "Python":
        return f"python -m {package} --help" if InterfaceKind.CLI in kinds else f"python -m {package}"
    if tools.runtime == "Node.js":
        return "npm run dev"
    if tools.language == "Go":
        return f"go run ./cmd/{short}"
    if tools.language == "Rust":
        return "cargo run"
    if tools.language == "C#":
        return "dotnet run"
    return ""


def _camel(name: str) -> str:
    head, *rest = snake(name).split("_")
    return head + "".join(p.title() for p in rest)


def _first_operation(plan: Plan) -> Operation | None:
    """The HTTP operation a developer writes first: one of the highest-priority story, a write
    before a read when the story has both, else the contract's first."""
    operations = [op for op in plan.contracts.operations if is_http_operation(op)]
    stories = sorted(plan.context.spec.stories, key=lambda s: s.priority)
    for story in stories[:1]:
        own = [op for op in operations if op.story == story.id]
        writes = [op for op in own if op.method.lower() != "get"]
        if writes or own:
            return (writes or own)[0]
    return operations[0] if operations else None


def _snippet(plan: Plan, tools: Toolchain, framework: str | None) -> Snippet:
    kinds = set(plan.contracts.kinds)
    operation = _first_operation(plan)
    if InterfaceKind.HTTP in kinds and operation is not None:
        params = [snake(p) for p in re.findall(r"\{(\w+)\}", operation.path)]
        snake_route = re.sub(r"\{(\w+)\}", lambda m: "{" + snake(m.group(1)) + "}", operation.path)
        example = re.sub(r"\{\w+\}", "1", operation.path)
        entity = snake(operation.entity or "resource")
        if tools.language == "Python":
            mode = framework if framework in ("fastapi", "flask") else "python-service"
            route = re.sub(r"\{(\w+)\}", r"<\1>", snake_route) if mode == "flask" else snake_route
            return Snippet(mode=mode, fence="python", operation=operation, function=snake(operation.operation_id),
                           route=route, example_path=example, params=params, service=f"{entity}_service",
                           package=tools.package)
        if tools.runtime == "Node.js":
            route = re.sub(r"\{(\w+)\}", lambda m: ":" + _camel(m.group(1)), operation.path)
            return Snippet(mode="express", fence=tools.fence, operation=operation,
                           function=_camel(operation.operation_id), route=route, example_path=example,
                           params=[_camel(p) for p in params], service=f"{_camel(entity)}Service", package=tools.package)
        if tools.language == "Go":
            return Snippet(mode="go-http", fence="go", operation=operation,
                           function=_camel(operation.operation_id)[:1].upper() + _camel(operation.operation_id)[1:],
                           route=operation.path, example_path=example,
                           params=re.findall(r"\{(\w+)\}", operation.path), service=_camel(entity), package=tools.package)
    if InterfaceKind.CLI in kinds:
        command = plan.context.feature.short_name
        modes = {"Python": "cli-python", "Go": "cli-go"}
        mode = modes.get(tools.language, "cli-node" if tools.runtime == "Node.js" else "none")
        return Snippet(mode=mode, fence=tools.fence, command=command, package=tools.package,
                       function=snake(command))
    return Snippet(mode="none", fence=tools.fence)


def dev_environment(plan: Plan, tools: Toolchain, found: list[FoundTechnology], systems: list[ExternalSystem]) -> DevEnvironment:
    idle, idle_source = idle_limit(plan)
    heartbeat = max(5, min(DEFAULT_HEARTBEAT_S * 2, idle // 2)) if idle else DEFAULT_HEARTBEAT_S
    migration = _migration(plan)
    relational = any(t.key in ("postgresql", "mysql", "sqlite") for t in of_kind(found, TechKind.DATABASE))
    framework = _framework(found, tools)
    return DevEnvironment(
        tools=_tools(plan, tools, found, migration),
        env=_env(plan, found, systems, heartbeat),
        services=_services(plan, found),
        compose=plan.context.stack.containerised and bool(plan.context.stack.services),
        migration=migration,
        needs_migrations=bool(plan.data_model.entities) and (relational or migration is not None),
        run_command=_run_command(plan, tools, framework),
        framework=framework,
        heartbeat_s=heartbeat,
        idle_limit_s=idle,
        idle_source=idle_source,
        snippet=_snippet(plan, tools, framework),
        tech_keys=[t.key for t in found],
    )
