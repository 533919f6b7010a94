"""The target repository's own stack, read from its manifest files.

`detect_stack` reads the few manifest files of one package folder (in a monorepo) and of the
repository root: Python (`pyproject.toml`, `requirements*.txt`, `setup.cfg`, `Pipfile`),
JavaScript (`package.json`), Go (`go.mod`), Rust (`Cargo.toml`), Java/Kotlin (`pom.xml`,
`build.gradle[.kts]`, `gradle/libs.versions.toml`), Ruby (`Gemfile`), PHP (`composer.json`),
version files (`.python-version`, `.nvmrc`, `.tool-versions`, …), `Dockerfile`s and compose
files. Well-known packages and container images map to frameworks, databases and test tools
through the tables below, the one place those names live. Versions are kept exactly as the
manifest pins them; nothing is ever guessed. A manifest that does not parse is skipped.
"""

from __future__ import annotations

import configparser
import json
import posixpath
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, NamedTuple

import yaml
from pydantic import BaseModel, Field

from bot.planning.ports import FileSource


class Dependency(BaseModel):
    name: str
    version: str | None = None  # as the manifest pins it; never invented
    source: str  # the manifest it came from, e.g. "pyproject.toml"


class Stack(BaseModel):
    languages: list[str] = Field(default_factory=list)  # "Python 3.12", "TypeScript", "Go 1.22"
    frameworks: list[str] = Field(default_factory=list)  # "FastAPI", "Django", "Express", …
    databases: list[str] = Field(default_factory=list)  # "PostgreSQL", "Redis", … (drivers and compose services)
    services: list[str] = Field(default_factory=list)  # compose services, e.g. "postgres", "redis"
    test_tools: list[str] = Field(default_factory=list)  # "pytest", "jest", …
    dependencies: list[Dependency] = Field(default_factory=list)
    containerised: bool = False  # a Dockerfile or compose file exists
    manifests: list[str] = Field(default_factory=list)  # files the stack was read from

    @property
    def empty(self) -> bool:
        return not (self.languages or self.frameworks or self.databases or self.dependencies)

    def version_of(self, name: str) -> str | None:
        """The pinned version of a dependency, matched case-insensitively; None when not pinned."""
        wanted = name.lower()
        for dep in self.dependencies:
            if dep.name.lower() == wanted:
                return dep.version
        return None


# --- the tables ----------------------------------------------------------------------------

RoleKind = Literal["language", "framework", "database", "test"]


class Role(NamedTuple):
    kind: RoleKind
    label: str


def _fw(label: str) -> tuple[Role, ...]:
    return (Role("framework", label),)


def _db(label: str) -> tuple[Role, ...]:
    return (Role("database", label),)


def _test(label: str) -> tuple[Role, ...]:
    return (Role("test", label),)


def _lang(label: str) -> tuple[Role, ...]:
    return (Role("language", label),)


POSTGRES, MYSQL, MARIADB, SQLITE = "PostgreSQL", "MySQL", "MariaDB", "SQLite"
MONGODB, REDIS, RABBITMQ, KAFKA, NATS = "MongoDB", "Redis", "RabbitMQ", "Kafka", "NATS"
ELASTICSEARCH, OPENSEARCH, SQL_SERVER = "Elasticsearch", "OpenSearch", "SQL Server"

# Package name -> what it tells about the stack, per ecosystem. Python names are PEP 503
# normalised; Maven/Gradle entries are artifactIds; Go entries are module paths without their
# `/vN` suffix. A name ending in `*` matches by prefix.
KNOWN_PACKAGES: dict[str, dict[str, tuple[Role, ...]]] = {
    "python": {
        "fastapi": _fw("FastAPI"),
        "django": _fw("Django"),
        "djangorestframework": _fw("Django REST framework"),
        "django-ninja": _fw("Django Ninja"),
        "flask": _fw("Flask"),
        "starlette": _fw("Starlette"),
        "litestar": _fw("Litestar"),
        "aiohttp": _fw("aiohttp"),
        "tornado": _fw("Tornado"),
        "sanic": _fw("Sanic"),
        "quart": _fw("Quart"),
        "falcon": _fw("Falcon"),
        "pyramid": _fw("Pyramid"),
        "celery": _fw("Celery"),
        "strawberry-graphql": _fw("Strawberry GraphQL"),
        "streamlit": _fw("Streamlit"),
        "typer": _fw("Typer"),
        "click": _fw("Click"),
        "psycopg": _db(POSTGRES),
        "psycopg-binary": _db(POSTGRES),
        "psycopg2": _db(POSTGRES),
        "psycopg2-binary": _db(POSTGRES),
        "asyncpg": _db(POSTGRES),
        "pg8000": _db(POSTGRES),
        "pymysql": _db(MYSQL),
        "mysqlclient": _db(MYSQL),
        "mysql-connector-python": _db(MYSQL),
        "aiomysql": _db(MYSQL),
        "asyncmy": _db(MYSQL),
        "mariadb": _db(MARIADB),
        "aiosqlite": _db(SQLITE),
        "pymongo": _db(MONGODB),
        "motor": _db(MONGODB),
        "mongoengine": _db(MONGODB),
        "beanie": _db(MONGODB),
        "redis": _db(REDIS),
        "aioredis": _db(REDIS),
        "rq": _db(REDIS),
        "pika": _db(RABBITMQ),
        "aio-pika": _db(RABBITMQ),
        "kafka-python": _db(KAFKA),
        "confluent-kafka": _db(KAFKA),
        "aiokafka": _db(KAFKA),
        "nats-py": _db(NATS),
        "elasticsearch": _db(ELASTICSEARCH),
        "elasticsearch-dsl": _db(ELASTICSEARCH),
        "opensearch-py": _db(OPENSEARCH),
        "cassandra-driver": _db("Cassandra"),
        "clickhouse-driver": _db("ClickHouse"),
        "clickhouse-connect": _db("ClickHouse"),
        "neo4j": _db("Neo4j"),
        "duckdb": _db("DuckDB"),
        "pymemcache": _db("Memcached"),
        "pytest": _test("pytest"),
        "hypothesis": _test("Hypothesis"),
        "behave": _test("behave"),
        "playwright": _test("Playwright"),
        "locust": _test("Locust"),
        "testcontainers": _test("Testcontainers"),
    },
    "npm": {
        "express": _fw("Express"),
        "@nestjs/core": _fw("NestJS"),
        "next": _fw("Next.js"),
        "react": _fw("React"),
        "react-native": _fw("React Native"),
        "vue": _fw("Vue"),
        "nuxt": _fw("Nuxt"),
        "@angular/core": _fw("Angular"),
        "svelte": _fw("Svelte"),
        "@sveltejs/kit": _fw("SvelteKit"),
        "@remix-run/*": _fw("Remix"),
        "astro": _fw("Astro"),
        "fastify": _fw("Fastify"),
        "koa": _fw("Koa"),
        "hono": _fw("Hono"),
        "@hapi/hapi": _fw("hapi"),
        "@apollo/server": _fw("Apollo Server"),
        "apollo-server": _fw("Apollo Server"),
        "socket.io": _fw("Socket.IO"),
        "electron": _fw("Electron"),
        "pg": _db(POSTGRES),
        "pg-promise": _db(POSTGRES),
        "postgres": _db(POSTGRES),
        "mysql": _db(MYSQL),
        "mysql2": _db(MYSQL),
        "mariadb": _db(MARIADB),
        "better-sqlite3": _db(SQLITE),
        "sqlite3": _db(SQLITE),
        "mongodb": _db(MONGODB),
        "mongoose": _db(MONGODB),
        "redis": _db(REDIS),
        "ioredis": _db(REDIS),
        "@redis/client": _db(REDIS),
        "bull": _db(REDIS),
        "bullmq": _db(REDIS),
        "kafkajs": _db(KAFKA),
        "amqplib": _db(RABBITMQ),
        "amqp-connection-manager": _db(RABBITMQ),
        "nats": _db(NATS),
        "@elastic/elasticsearch": _db(ELASTICSEARCH),
        "@opensearch-project/opensearch": _db(OPENSEARCH),
        "jest": _test("Jest"),
        "vitest": _test("Vitest"),
        "mocha": _test("Mocha"),
        "ava": _test("AVA"),
        "jasmine": _test("Jasmine"),
        "@playwright/test": _test("Playwright"),
        "cypress": _test("Cypress"),
        "testcontainers": _test("Testcontainers"),
    },
    "go": {
        "github.com/gin-gonic/gin": _fw("Gin"),
        "github.com/labstack/echo": _fw("Echo"),
        "github.com/gofiber/fiber": _fw("Fiber"),
        "github.com/go-chi/chi": _fw("chi"),
        "github.com/gorilla/mux": _fw("Gorilla mux"),
        "google.golang.org/grpc": _fw("gRPC"),
        "github.com/spf13/cobra": _fw("Cobra"),
        "github.com/lib/pq": _db(POSTGRES),
        "github.com/jackc/pgx": _db(POSTGRES),
        "gorm.io/driver/postgres": _db(POSTGRES),
        "github.com/go-sql-driver/mysql": _db(MYSQL),
        "gorm.io/driver/mysql": _db(MYSQL),
        "gorm.io/driver/sqlite": _db(SQLITE),
        "gorm.io/driver/sqlserver": _db(SQL_SERVER),
        "github.com/mattn/go-sqlite3": _db(SQLITE),
        "modernc.org/sqlite": _db(SQLITE),
        "go.mongodb.org/mongo-driver": _db(MONGODB),
        "github.com/redis/go-redis": _db(REDIS),
        "github.com/go-redis/redis": _db(REDIS),
        "github.com/segmentio/kafka-go": _db(KAFKA),
        "github.com/ibm/sarama": _db(KAFKA),
        "github.com/shopify/sarama": _db(KAFKA),
        "github.com/confluentinc/confluent-kafka-go": _db(KAFKA),
        "github.com/rabbitmq/amqp091-go": _db(RABBITMQ),
        "github.com/streadway/amqp": _db(RABBITMQ),
        "github.com/nats-io/nats.go": _db(NATS),
        "github.com/elastic/go-elasticsearch": _db(ELASTICSEARCH),
        "github.com/stretchr/testify": _test("testify"),
        "github.com/onsi/ginkgo": _test("Ginkgo"),
        "github.com/testcontainers/testcontainers-go": _test("Testcontainers"),
    },
    "cargo": {
        "actix-web": _fw("Actix Web"),
        "axum": _fw("Axum"),
        "rocket": _fw("Rocket"),
        "warp": _fw("warp"),
        "poem": _fw("Poem"),
        "tonic": _fw("tonic"),
        "tokio-postgres": _db(POSTGRES),
        "postgres": _db(POSTGRES),
        "mysql": _db(MYSQL),
        "mysql_async": _db(MYSQL),
        "rusqlite": _db(SQLITE),
        "redis": _db(REDIS),
        "mongodb": _db(MONGODB),
        "rdkafka": _db(KAFKA),
        "lapin": _db(RABBITMQ),
        "async-nats": _db(NATS),
        "elasticsearch": _db(ELASTICSEARCH),
        "testcontainers": _test("Testcontainers"),
    },
    "maven": {
        "spring-boot*": _fw("Spring Boot"),
        "quarkus*": _fw("Quarkus"),
        "micronaut*": _fw("Micronaut"),
        "dropwizard-core": _fw("Dropwizard"),
        "vertx-web": _fw("Vert.x"),
        "javalin": _fw("Javalin"),
        "ktor-server*": _fw("Ktor"),
        "kotlin-stdlib*": _lang("Kotlin"),
        "postgresql": _db(POSTGRES),
        "r2dbc-postgresql": _db(POSTGRES),
        "mysql-connector-java": _db(MYSQL),
        "mysql-connector-j": _db(MYSQL),
        "mariadb-java-client": _db(MARIADB),
        "h2": _db("H2"),
        "mssql-jdbc": _db(SQL_SERVER),
        "ojdbc*": _db("Oracle Database"),
        "mongodb-driver*": _db(MONGODB),
        "spring-boot-starter-data-mongodb*": _db(MONGODB),
        "spring-boot-starter-data-redis*": _db(REDIS),
        "jedis": _db(REDIS),
        "lettuce-core": _db(REDIS),
        "kafka-clients": _db(KAFKA),
        "spring-kafka": _db(KAFKA),
        "spring-boot-starter-amqp": _db(RABBITMQ),
        "amqp-client": _db(RABBITMQ),
        "spring-boot-starter-data-elasticsearch": _db(ELASTICSEARCH),
        "elasticsearch-java": _db(ELASTICSEARCH),
        "junit": _test("JUnit"),
        "junit-jupiter*": _test("JUnit"),
        "spring-boot-starter-test": _test("JUnit"),
        "testng": _test("TestNG"),
        "mockito-core": _test("Mockito"),
        "testcontainers*": _test("Testcontainers"),
    },
    "ruby": {
        "rails": _fw("Ruby on Rails"),
        "sinatra": _fw("Sinatra"),
        "hanami": _fw("Hanami"),
        "sidekiq": _fw("Sidekiq") + _db(REDIS),
        "pg": _db(POSTGRES),
        "mysql2": _db(MYSQL),
        "sqlite3": _db(SQLITE),
        "redis": _db(REDIS),
        "mongoid": _db(MONGODB),
        "rspec": _test("RSpec"),
        "rspec-rails": _test("RSpec"),
        "minitest": _test("Minitest"),
    },
    "php": {
        "laravel/framework": _fw("Laravel"),
        "symfony/framework-bundle": _fw("Symfony"),
        "slim/slim": _fw("Slim"),
        "predis/predis": _db(REDIS),
        "mongodb/mongodb": _db(MONGODB),
        "phpunit/phpunit": _test("PHPUnit"),
        "pestphp/pest": _test("Pest"),
    },
}

# Words in a package's extras or features (`sqlalchemy[postgresql]`, sqlx `features =
# ["postgres"]`, `celery[redis]`) that name the data store it talks to.
FEATURE_DATABASES: dict[str, str] = {
    "postgres": POSTGRES,
    "asyncpg": POSTGRES,
    "psycopg": POSTGRES,
    "mysql": MYSQL,
    "mariadb": MARIADB,
    "sqlite": SQLITE,
    "mssql": SQL_SERVER,
    "mongo": MONGODB,
    "redis": REDIS,
    "rabbitmq": RABBITMQ,
    "kafka": KAFKA,
}

# Container images, by the last segment of the image name (or a `a/b` suffix of it), that
# name a data store or service.
IMAGE_DATABASES: dict[str, str] = {
    "postgres": POSTGRES,
    "postgresql": POSTGRES,
    "postgis": POSTGRES,
    "timescaledb": POSTGRES,
    "mysql": MYSQL,
    "mariadb": MARIADB,
    "mongo": MONGODB,
    "mongodb": MONGODB,
    "redis": REDIS,
    "redis-stack": REDIS,
    "redis-stack-server": REDIS,
    "valkey": "Valkey",
    "rabbitmq": RABBITMQ,
    "kafka": KAFKA,
    "cp-kafka": KAFKA,
    "redpanda": "Redpanda",
    "elasticsearch": ELASTICSEARCH,
    "opensearch": OPENSEARCH,
    "nats": NATS,
    "memcached": "Memcached",
    "cassandra": "Cassandra",
    "clickhouse-server": "ClickHouse",
    "clickhouse": "ClickHouse",
    "neo4j": "Neo4j",
    "cockroach": "CockroachDB",
    "influxdb": "InfluxDB",
    "minio": "MinIO",
    "dynamodb-local": "DynamoDB",
    "mssql/server": SQL_SERVER,
}

# Container images that name a language runtime; the tag's leading version is its version.
IMAGE_LANGUAGES: dict[str, str] = {
    "python": "Python",
    "pypy": "Python",
    "node": "Node.js",
    "golang": "Go",
    "rust": "Rust",
    "openjdk": "Java",
    "eclipse-temurin": "Java",
    "amazoncorretto": "Java",
    "ruby": "Ruby",
    "php": "PHP",
    "elixir": "Elixir",
    "deno": "Deno",
    "bun": "Bun",
    "dotnet/sdk": ".NET",
    "dotnet/aspnet": ".NET",
    "dotnet/runtime": ".NET",
}

# Images whose tag versions the build tool, not the language: no version is taken from them.
IMAGE_BUILD_TOOLS: dict[str, str] = {"maven": "Java", "gradle": "Java"}

# `.tool-versions` (asdf / mise) tool names.
TOOL_VERSION_LANGUAGES: dict[str, str] = {
    "python": "Python",
    "nodejs": "Node.js",
    "node": "Node.js",
    "golang": "Go",
    "go": "Go",
    "rust": "Rust",
    "ruby": "Ruby",
    "java": "Java",
    "php": "PHP",
    "elixir": "Elixir",
}

# Gradle plugin ids.
GRADLE_PLUGINS: dict[str, tuple[Role, ...]] = {
    "org.springframework.boot": _fw("Spring Boot"),
    "io.quarkus": _fw("Quarkus"),
    "io.micronaut.application": _fw("Micronaut"),
    "org.jetbrains.kotlin.jvm": _lang("Kotlin"),
}

# Config files whose presence names a test tool (matched by file-name prefix).
TEST_CONFIG_FILES: dict[str, str] = {
    "pytest.ini": "pytest",
    "jest.config.": "Jest",
    "vitest.config.": "Vitest",
    ".mocharc": "Mocha",
    "playwright.config.": "Playwright",
    "cypress.config.": "Cypress",
}

# Test runners that come with the language.
IMPLICIT_TEST_TOOLS: dict[str, str] = {"go": "go test", "cargo": "cargo test"}

# Folders never read: installed dependencies and build output.
IGNORED_DIRS: frozenset[str] = frozenset(
    {"node_modules", ".venv", "venv", "vendor", ".git", "site-packages", "__pycache__", ".tox"}
)

# Subfolders of a package or the root where container files often sit.
CONTAINER_DIRS: tuple[str, ...] = ("docker", "deploy", ".devcontainer")

# Versions that pin nothing.
UNPINNED: frozenset[str] = frozenset({"", "*", "latest", "x", "any"})


# --- reading manifests ---------------------------------------------------------------------


@dataclass
class _Package:
    name: str
    version: str | None
    hints: tuple[str, ...] = ()  # extras or features


@dataclass
class _Reading:
    manifest: str
    ecosystem: str | None = None
    languages: list[tuple[str, str | None]] = field(default_factory=list)
    packages: list[_Package] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    container: bool = False


def _pinned(version: object) -> str | None:
    if not isinstance(version, str):
        return None
    text = version.strip()
    if text.lower() in UNPINNED or text.startswith(("workspace:", "file:", "link:", "git", "http", "github:")):
        return None
    return text


def _toml(text: str) -> dict[str, Any] | None:
    """A TOML manifest's content; None when it does not parse."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _json_object(text: str) -> dict[str, Any] | None:
    """A JSON manifest's top-level object; None when it does not parse or is not an object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _json_dependencies(data: dict[str, Any], tables: Sequence[str]) -> Iterator[tuple[str, object]]:
    """`(name, version)` of each entry in a JSON manifest's dependency tables, table by table."""
    for table in tables:
        deps = data.get(table) or {}
        if isinstance(deps, dict):
            yield from deps.items()


_PEP508 = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$"
)


def _python_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pep508(line: str) -> _Package | None:
    """A PEP 508 requirement: its name, its version spec as written (None when unpinned or a
    URL), and its extras."""
    match = _PEP508.match(line)
    if not match:
        return None
    rest = match["rest"].split(";", 1)[0].strip()
    version = None if rest.startswith("@") else _pinned(rest.strip("() "))
    extras = tuple(e.strip() for e in (match["extras"] or "").split(",") if e.strip())
    return _Package(_python_name(match["name"]), version, extras)


def _requirement_lines(text: str) -> Iterable[str]:
    joined = re.sub(r"\\\n", " ", text)
    for raw in joined.splitlines():
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        line = re.split(r"\s--?[a-z]", line, maxsplit=1)[0].strip()
        if not line or line.startswith("-") or ("://" in line and " @ " not in line):
            continue
        yield line


def _requirements(text: str) -> list[_Package]:
    """The packages of a requirements list (a requirements file, or a setup.cfg value)."""
    return [p for p in map(_pep508, _requirement_lines(text)) if p is not None]


def _read_requirements(path: str, text: str) -> _Reading:
    return _Reading(path, "python", languages=[("Python", None)], packages=_requirements(text))


def _poetry_packages(table: object) -> tuple[list[_Package], str | None]:
    packages: list[_Package] = []
    python: str | None = None
    if not isinstance(table, dict):
        return packages, python
    for name, spec in table.items():
        if isinstance(spec, list):  # several constraints for several markers
            spec = spec[0] if spec else None
        version = spec.get("version") if isinstance(spec, dict) else spec
        extras = tuple(spec.get("extras", ())) if isinstance(spec, dict) else ()
        if name.lower() == "python":
            python = _pinned(version)
            continue
        packages.append(_Package(_python_name(name), _pinned(version), extras))
    return packages, python


def _read_pyproject(path: str, text: str) -> _Reading | None:
    data = _toml(text)
    if data is None:
        return None
    reading = _Reading(path, "python")
    project = data.get("project", {})
    tool = data.get("tool", {})
    requirement_lists: list[object] = [project.get("dependencies", [])]
    requirement_lists += list(project.get("optional-dependencies", {}).values())
    requirement_lists += list(data.get("dependency-groups", {}).values())
    requirement_lists.append(tool.get("uv", {}).get("dev-dependencies", []))
    for group in requirement_lists:
        if isinstance(group, list):
            for item in group:
                package = _pep508(item) if isinstance(item, str) else None
                if package is not None:
                    reading.packages.append(package)
    python = _pinned(project.get("requires-python"))
    poetry = tool.get("poetry", {})
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    tables += [g.get("dependencies") for g in poetry.get("group", {}).values() if isinstance(g, dict)]
    for table in tables:
        packages, poetry_python = _poetry_packages(table)
        reading.packages += packages
        python = python or poetry_python
    reading.languages.append(("Python", python))
    if "pytest" in tool:
        reading.roles.append(Role("test", "pytest"))
    return reading


def _read_setup_cfg(path: str, text: str) -> _Reading | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    reading = _Reading(path, "python")
    if parser.has_section("options"):
        requirements = parser.get("options", "install_requires", fallback="")
        reading.packages += _requirements(requirements)
        reading.languages.append(("Python", _pinned(parser.get("options", "python_requires", fallback=""))))
    if parser.has_section("options.extras_require"):
        for _, requirements in parser.items("options.extras_require"):
            reading.packages += _requirements(requirements)
    if parser.has_section("tool:pytest"):
        reading.roles.append(Role("test", "pytest"))
    if not reading.languages:
        reading.languages.append(("Python", None))
    return reading


def _read_pipfile(path: str, text: str) -> _Reading | None:
    data = _toml(text)
    if data is None:
        return None
    reading = _Reading(path, "python")
    for table in ("packages", "dev-packages"):
        packages, _ = _poetry_packages(data.get(table))
        reading.packages += packages
    requires = data.get("requires", {})
    reading.languages.append(("Python", _pinned(requires.get("python_full_version") or requires.get("python_version"))))
    return reading


def _read_package_json(path: str, text: str) -> _Reading | None:
    data = _json_object(text)
    if data is None:
        return None
    reading = _Reading(path, "npm")
    for name, version in _json_dependencies(data, ("dependencies", "devDependencies")):
        reading.packages.append(_Package(name, _pinned(version)))
    typescript = next((p for p in reading.packages if p.name == "typescript"), None)
    reading.languages.append(("TypeScript", typescript.version) if typescript else ("JavaScript", None))
    engines = data.get("engines") or {}
    reading.languages.append(("Node.js", _pinned(engines.get("node")) if isinstance(engines, dict) else None))
    return reading


def _read_go_mod(path: str, text: str) -> _Reading:
    reading = _Reading(path, "go")
    go_version = re.search(r"^go\s+(\S+)", text, re.MULTILINE)
    reading.languages.append(("Go", go_version[1] if go_version else None))
    in_block = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("require ("):
            in_block = True
            continue
        if in_block and line.startswith(")"):
            in_block = False
            continue
        if "// indirect" in line:
            continue
        entry = line.split("//", 1)[0].split()
        if in_block and len(entry) >= 2:
            reading.packages.append(_Package(entry[0], entry[1]))
        elif len(entry) >= 3 and entry[0] == "require":
            reading.packages.append(_Package(entry[1], entry[2]))
    return reading


def _cargo_packages(table: object) -> list[_Package]:
    packages: list[_Package] = []
    if not isinstance(table, dict):
        return packages
    for name, spec in table.items():
        if isinstance(spec, dict):
            crate = spec.get("package", name)
            features = tuple(str(f) for f in spec.get("features", ()))
            packages.append(_Package(crate, _pinned(spec.get("version")), features))
        else:
            packages.append(_Package(name, _pinned(spec)))
    return packages


def _read_cargo(path: str, text: str) -> _Reading | None:
    data = _toml(text)
    if data is None:
        return None
    reading = _Reading(path, "cargo")
    workspace = data.get("workspace", {})
    package = data.get("package", {}) or workspace.get("package", {})
    rust_version = _pinned(package.get("rust-version")) if isinstance(package.get("rust-version"), str) else None
    reading.languages.append(("Rust", rust_version))
    for table in ("dependencies", "dev-dependencies", "build-dependencies"):
        reading.packages += _cargo_packages(data.get(table))
    reading.packages += _cargo_packages(workspace.get("dependencies"))
    return reading


def _strip_namespaces(root: ET.Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]


def _read_pom(path: str, text: str) -> _Reading | None:
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return None
    _strip_namespaces(root)
    properties = {child.tag: (child.text or "").strip() for child in root.findall("properties/*")}

    def resolve(value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        match = re.fullmatch(r"\$\{([^}]+)\}", value)
        return _pinned(properties.get(match[1])) if match else _pinned(value)

    reading = _Reading(path, "maven")
    java_keys = ("java.version", "maven.compiler.release", "maven.compiler.source")
    java = next((properties[key] for key in java_keys if key in properties), None)
    reading.languages.append(("Java", _pinned(java)))
    parent = root.find("parent")
    parent_artifact = (parent.findtext("artifactId") or "").strip() if parent is not None else ""
    if parent is not None and parent_artifact:
        reading.packages.append(_Package(parent_artifact, resolve(parent.findtext("version"))))
    for dependency in root.findall("dependencies/dependency"):
        artifact = (dependency.findtext("artifactId") or "").strip()
        if artifact:
            reading.packages.append(_Package(artifact, resolve(dependency.findtext("version"))))
    for plugin in root.findall("build/plugins/plugin"):
        if (plugin.findtext("artifactId") or "").strip() == "kotlin-maven-plugin":
            reading.roles.append(Role("language", "Kotlin"))
    return reading


_GRADLE_DEPENDENCY = re.compile(
    r"\b(?:implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|"
    r"annotationProcessor|kapt|ksp|developmentOnly)\s*\(?\s*(?:platform\s*\(\s*)?"
    r"[\"']([^\"':\s]+):([^\"':\s]+)(?::([^\"'\s]+))?[\"']"
)
_GRADLE_PLUGIN = re.compile(r"\bid\s*\(?\s*[\"']([^\"']+)[\"']\s*\)?(?:\s*version\s*\(?\s*[\"']([^\"']+)[\"'])?")
_GRADLE_JAVA = re.compile(
    r"(?:JavaLanguageVersion\.of\(\s*(\d+)\s*\)|jvmToolchain\(\s*(\d+)\s*\)|"
    r"sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_)?[\"']?([\d._]+))"
)


def _read_gradle(path: str, text: str) -> _Reading:
    reading = _Reading(path, "maven")
    java = _GRADLE_JAVA.search(text)
    version = next((g for g in java.groups() if g), None) if java else None
    reading.languages.append(("Java", version.replace("_", ".") if version else None))
    if re.search(r"\bkotlin\s*\(\s*[\"']jvm[\"']\s*\)", text):
        reading.roles.append(Role("language", "Kotlin"))
    for plugin, plugin_version in _GRADLE_PLUGIN.findall(text):
        for role in GRADLE_PLUGINS.get(plugin, ()):
            reading.roles.append(role)
        if plugin in GRADLE_PLUGINS:
            reading.packages.append(_Package(plugin, _pinned(plugin_version)))
    for _group, artifact, dep_version in _GRADLE_DEPENDENCY.findall(text):
        reading.packages.append(_Package(artifact, _pinned(dep_version)))
    if "useJUnitPlatform" in text:
        reading.roles.append(Role("test", "JUnit"))
    return reading


def _read_version_catalog(path: str, text: str) -> _Reading | None:
    data = _toml(text)
    if data is None:
        return None
    versions = {k: v for k, v in data.get("versions", {}).items() if isinstance(v, str)}
    reading = _Reading(path, "maven")
    for entry in data.get("libraries", {}).values():
        if isinstance(entry, str):
            parts = entry.split(":")
            if len(parts) >= 2:
                reading.packages.append(_Package(parts[1], _pinned(parts[2]) if len(parts) > 2 else None))
        elif isinstance(entry, dict):
            module = entry.get("module") or f"{entry.get('group', '')}:{entry.get('name', '')}"
            version = entry.get("version")
            if isinstance(version, dict):
                version = versions.get(version.get("ref", "")) if "ref" in version else version.get("strictly")
            elif "version.ref" in entry:
                version = versions.get(entry["version.ref"])
            artifact = module.split(":")[-1]
            if artifact:
                reading.packages.append(_Package(artifact, _pinned(version)))
    for plugin in data.get("plugins", {}).values():
        plugin_id = plugin.get("id") if isinstance(plugin, dict) else str(plugin).split(":")[0]
        reading.roles += GRADLE_PLUGINS.get(plugin_id or "", ())
    return reading


_GEM = re.compile(r"^\s*gem\s+[\"']([^\"']+)[\"']((?:\s*,\s*[\"'][^\"']*[\"'])*)", re.MULTILINE)


def _read_gemfile(path: str, text: str) -> _Reading:
    reading = _Reading(path, "ruby")
    ruby = re.search(r"^\s*ruby\s+[\"']([^\"']+)[\"']", text, re.MULTILINE)
    reading.languages.append(("Ruby", ruby[1] if ruby else None))
    for name, constraints in _GEM.findall(text):
        pins = re.findall(r"[\"']([^\"']*)[\"']", constraints)
        reading.packages.append(_Package(name, _pinned(", ".join(pins))))
    return reading


def _read_composer(path: str, text: str) -> _Reading | None:
    data = _json_object(text)
    if data is None:
        return None
    reading = _Reading(path, "php")
    php: str | None = None
    for name, version in _json_dependencies(data, ("require", "require-dev")):
        if name == "php":
            php = _pinned(version)
        elif not name.startswith("ext-"):
            reading.packages.append(_Package(name, _pinned(version)))
    reading.languages.append(("PHP", php))
    return reading


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _version_file(language: str) -> Callable[[str, str], _Reading]:
    def read(path: str, text: str) -> _Reading:
        version = _first_line(text).removeprefix("v")
        exact = version if re.match(r"^\d", version) else None
        return _Reading(path, languages=[(language, exact)])

    return read


def _read_tool_versions(path: str, text: str) -> _Reading:
    reading = _Reading(path)
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and parts[0] in TOOL_VERSION_LANGUAGES:
            version = re.search(r"\d+(?:\.\d+)*", parts[1])
            reading.languages.append((TOOL_VERSION_LANGUAGES[parts[0]], version[0] if version else None))
    return reading


def _split_image(image: str) -> tuple[str, str | None]:
    """`(name, tag)` of an image reference; the tag is None when absent or `latest`."""
    image = image.split("@", 1)[0]
    name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
    return name.lower(), _pinned(tag) if tag else None


def _image_entry(name: str, table: dict[str, str]) -> str | None:
    last = name.rsplit("/", 1)[-1]
    if last in table:
        return table[last]
    return next((label for key, label in table.items() if "/" in key and name.endswith(key)), None)


def _image_roles(image: str, reading: _Reading) -> None:
    name, tag = _split_image(image)
    if not name:
        return
    reading.packages.append(_Package(name, tag))
    database = _image_entry(name, IMAGE_DATABASES)
    if database:
        reading.roles.append(Role("database", database))
    language = _image_entry(name, IMAGE_LANGUAGES)
    if language:
        version = re.match(r"\d+(?:\.\d+)*", tag or "")
        reading.languages.append((language, version[0] if version else None))
    elif (tool_language := _image_entry(name, IMAGE_BUILD_TOOLS)) is not None:
        jdk = re.search(r"(?:jdk|temurin|corretto)-?(\d+)", tag or "")
        reading.languages.append((tool_language, jdk[1] if jdk else None))


_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE | re.MULTILINE)
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\S+)", re.MULTILINE)


def _substitute(value: str, variables: dict[str, str]) -> str | None:
    """`value` with `${VAR}`, `${VAR:-default}` and `$VAR` replaced; None when one is unknown."""
    unknown = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match["braced"] or match["bare"]
        if name in variables:
            return variables[name]
        if match["default"] is not None:
            return match["default"]
        unknown = True
        return ""

    result = re.sub(r"\$(?:\{(?P<braced>\w+)(?::?-(?P<default>[^}]*))?\}|(?P<bare>\w+))", replace, value)
    return None if unknown else result


def _resolve_image(image: str, variables: dict[str, str]) -> str | None:
    """The image reference with its variables filled in; when a variable is unknown, the image
    name alone (its tag cannot be known), or None when the name itself is unknown."""
    resolved = _substitute(image, variables)
    if resolved is not None:
        return resolved
    name = image.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    return None if "$" in name else name


def _read_dockerfile(path: str, text: str) -> _Reading:
    reading = _Reading(path, container=True)
    variables = {name: value.strip("\"'") for name, value in _ARG.findall(text)}
    stages: set[str] = set()
    for image, stage in _FROM.findall(text):
        resolved = _resolve_image(image, variables)
        if resolved and resolved.lower() not in stages and resolved.lower() != "scratch":
            _image_roles(resolved, reading)
        if stage:
            stages.add(stage.lower())
    return reading


def _read_compose(path: str, text: str) -> _Reading | None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    reading = _Reading(path, container=True)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return reading
    for name, service in services.items():
        reading.services.append(str(name))
        image = service.get("image") if isinstance(service, dict) else None
        if isinstance(image, str):
            resolved = _resolve_image(image, {})
            if resolved:
                _image_roles(resolved, reading)
    return reading


Reader = Callable[[str, str], "_Reading | None"]

# (file-name pattern, reader), in the order the manifests of one folder are read.
MANIFESTS: tuple[tuple[re.Pattern[str], Reader], ...] = (
    (re.compile(r"pyproject\.toml"), _read_pyproject),
    (re.compile(r"setup\.cfg"), _read_setup_cfg),
    (re.compile(r"Pipfile"), _read_pipfile),
    (re.compile(r"requirements[\w.-]*\.(?:txt|in)"), _read_requirements),
    (re.compile(r"requirements/[\w.-]+\.(?:txt|in)"), _read_requirements),
    (re.compile(r"package\.json"), _read_package_json),
    (re.compile(r"go\.mod"), _read_go_mod),
    (re.compile(r"Cargo\.toml"), _read_cargo),
    (re.compile(r"pom\.xml"), _read_pom),
    (re.compile(r"build\.gradle(?:\.kts)?"), _read_gradle),
    (re.compile(r"gradle/libs\.versions\.toml"), _read_version_catalog),
    (re.compile(r"Gemfile"), _read_gemfile),
    (re.compile(r"composer\.json"), _read_composer),
    (re.compile(r"\.python-version"), _version_file("Python")),
    (re.compile(r"\.nvmrc|\.node-version"), _version_file("Node.js")),
    (re.compile(r"\.ruby-version"), _version_file("Ruby")),
    (re.compile(r"\.tool-versions"), _read_tool_versions),
    (re.compile(r"(?:[\w.-]+/)?(?:Dockerfile(?:\.[\w.-]+)?|[\w.-]+\.Dockerfile|Containerfile)"), _read_dockerfile),
    (re.compile(r"(?:[\w.-]+/)?(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml"), _read_compose),
)


# --- assembling the stack ------------------------------------------------------------------


@cache
def _prefix_patterns(ecosystem: str) -> tuple[tuple[str, tuple[Role, ...]], ...]:
    table = KNOWN_PACKAGES.get(ecosystem, {})
    return tuple((key[:-1], roles) for key, roles in table.items() if key.endswith("*"))


def package_roles(ecosystem: str, name: str, hints: Sequence[str] = ()) -> list[Role]:
    """What a package tells about the stack: from the tables, then from its extras/features."""
    key = name.lower()
    if ecosystem == "go":
        key = re.sub(r"/v\d+$", "", key)
    roles = list(KNOWN_PACKAGES.get(ecosystem, {}).get(key, ()))
    roles += [role for prefix, found in _prefix_patterns(ecosystem) if key.startswith(prefix) for role in found]
    for hint in hints:
        roles += [Role("database", db) for word, db in FEATURE_DATABASES.items() if word in hint.lower()]
    return roles


def _join(folder: str, name: str) -> str:
    return posixpath.join(folder, name) if folder else name


# Subfolders whose files may be manifests too: container folders, `requirements/`, `gradle/`.
NESTED_MANIFEST_DIRS: frozenset[str] = frozenset({*CONTAINER_DIRS, "requirements", "gradle"})


def _folder_files(paths: Sequence[str], folders: Sequence[str]) -> dict[str, list[str]]:
    """Per folder, the files directly in it or in one of its known subfolders, relative to it.
    Folders inside installed dependencies (node_modules, .venv, vendor, …) are not read."""
    local: dict[str, list[str]] = {folder: [] for folder in folders}
    prefixes = [
        (folder, f"{folder}/" if folder else "")
        for folder in folders
        if not IGNORED_DIRS.intersection(folder.split("/"))
    ]
    for path in paths:
        for folder, prefix in prefixes:
            if prefix and not path.startswith(prefix):
                continue
            relative = path[len(prefix) :]
            slash = relative.find("/")
            if slash == -1 or (relative.find("/", slash + 1) == -1 and relative[:slash] in NESTED_MANIFEST_DIRS):
                local[folder].append(relative)
    return local


def _manifest_paths(local: dict[str, list[str]]) -> list[tuple[str, Reader]]:
    """The manifest files of each folder, folder by folder, in reading order."""
    wanted: list[tuple[str, Reader]] = []
    for folder, files in local.items():
        candidates = sorted(files)
        for pattern, reader in MANIFESTS:
            wanted += [(_join(folder, rel), reader) for rel in candidates if pattern.fullmatch(rel)]
    return wanted


def _version_score(version: str | None) -> int:
    if version is None:
        return 0
    return 2 if re.fullmatch(r"\d+(?:\.\d+)*", version) else 1


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def detect_stack(source: FileSource, root: str = "") -> Stack:
    """The stack of the package at `root` ("" = the repository root), with the repository
    root's manifests (compose files, root tooling) after the package's own."""
    root = root.strip("/")
    local = _folder_files(source.paths(), [root, ""] if root else [""])

    readings: list[_Reading] = []
    seen: set[str] = set()
    for path, reader in _manifest_paths(local):
        if path in seen:
            continue
        seen.add(path)
        text = source.read_text(path)
        if text is None:
            continue
        reading = reader(path, text)
        if reading is not None:
            readings.append(reading)

    languages: dict[str, str | None] = {}
    frameworks: list[str] = []
    databases: list[str] = []
    tests: list[str] = []
    services: list[str] = []
    dependencies: list[Dependency] = []

    def add_language(name: str, version: str | None) -> None:
        if name not in languages or _version_score(version) > _version_score(languages[name]):
            languages[name] = version

    def apply(role: Role) -> None:
        if role.kind == "language":
            add_language(role.label, None)
        elif role.kind == "framework":
            frameworks.append(role.label)
        elif role.kind == "database":
            databases.append(role.label)
        else:
            tests.append(role.label)

    for reading in readings:
        for name, version in reading.languages:
            add_language(name, version)
        for role in reading.roles:
            apply(role)
        for package in reading.packages:
            dependencies.append(Dependency(name=package.name, version=package.version, source=reading.manifest))
            if reading.ecosystem:
                for role in package_roles(reading.ecosystem, package.name, package.hints):
                    apply(role)
        if reading.ecosystem in IMPLICIT_TEST_TOOLS:
            tests.append(IMPLICIT_TEST_TOOLS[reading.ecosystem])
        services += reading.services

    for name in (name for files in local.values() for name in files if "/" not in name):
        tests += [tool for prefix, tool in TEST_CONFIG_FILES.items() if name.startswith(prefix)]
        if name == "tsconfig.json":
            add_language("TypeScript", None)
    if "TypeScript" in languages:
        languages.pop("JavaScript", None)

    return Stack(
        languages=[f"{name} {version}" if version else name for name, version in languages.items()],
        frameworks=_unique(frameworks),
        databases=_unique(databases),
        services=_unique(services),
        test_tools=_unique(tests),
        dependencies=dependencies,
        containerised=any(r.container for r in readings),
        manifests=[r.manifest for r in readings],
    )
