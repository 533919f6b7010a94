from bot.planning.ports import MappingSource
from bot.planning.stack import detect_stack, package_roles, Role


def stack_of(files: dict[str, str], root: str = ""):
    return detect_stack(MappingSource(files), root)


def test_pyproject_pep621_with_extras_and_optional_groups():
    stack = stack_of(
        {
            "pyproject.toml": """
[project]
name = "svc"
requires-python = ">=3.11"
dependencies = [
  "fastapi==0.110.0",
  "sqlalchemy[asyncio,postgresql_asyncpg]>=2,<3",
  "celery[redis] ~= 5.3 ; python_version >= '3.11'",
  "httpx",
]
[project.optional-dependencies]
test = ["pytest>=8", "hypothesis"]
""",
        }
    )
    assert stack.languages == ["Python >=3.11"]
    assert stack.frameworks == ["FastAPI", "Celery"]
    assert stack.databases == ["PostgreSQL", "Redis"]
    assert stack.test_tools == ["pytest", "Hypothesis"]
    assert stack.version_of("fastapi") == "==0.110.0"
    assert stack.version_of("SQLAlchemy") == ">=2,<3"
    assert stack.version_of("celery") == "~= 5.3"
    assert stack.version_of("httpx") is None
    assert stack.manifests == ["pyproject.toml"]
    assert not stack.containerised


def test_poetry_and_pytest_config():
    stack = stack_of(
        {
            "pyproject.toml": """
[tool.poetry.dependencies]
python = "^3.12"
Django = "^5.0"
psycopg2-binary = {version = "2.9.9"}
[tool.poetry.group.dev.dependencies]
black = "*"
[tool.pytest.ini_options]
addopts = "-q"
""",
        }
    )
    assert stack.languages == ["Python ^3.12"]
    assert stack.frameworks == ["Django"]
    assert stack.databases == ["PostgreSQL"]
    assert stack.test_tools == ["pytest"]
    assert stack.version_of("django") == "^5.0"
    assert stack.version_of("psycopg2-binary") == "2.9.9"
    assert stack.version_of("black") is None
    assert all(d.name != "python" for d in stack.dependencies)


def test_requirements_files_and_setup_cfg():
    stack = stack_of(
        {
            "requirements.txt": "# web\nFlask==3.0.2  # pinned\n-r requirements-dev.txt\n-e .\n"
            "pymongo>=4 \\\n  --hash=sha256:abc\ngit+https://example.org/x.git\n",
            "requirements-dev.txt": "pytest\n",
            "requirements/prod.txt": "gunicorn==22.0.0\n",
            "setup.cfg": "[options]\npython_requires = >=3.10\ninstall_requires =\n    pymysql==1.1.0\n",
        }
    )
    assert stack.frameworks == ["Flask"]
    assert stack.databases == ["MySQL", "MongoDB"]
    assert stack.test_tools == ["pytest"]
    assert stack.version_of("flask") == "==3.0.2"
    assert stack.version_of("pymongo") == ">=4"
    assert stack.version_of("gunicorn") == "==22.0.0"
    assert stack.languages == ["Python >=3.10"]
    assert stack.manifests == ["setup.cfg", "requirements-dev.txt", "requirements.txt", "requirements/prod.txt"]


def test_package_json_typescript_and_node_engine():
    stack = stack_of(
        {
            "package.json": """{
  "dependencies": {"express": "^4.18.0", "pg": "8.11.3", "ioredis": "latest", "@nestjs/core": "^10.0.0"},
  "devDependencies": {"typescript": "~5.4.0", "jest": "^29.7.0", "vitest": "*"},
  "engines": {"node": ">=20"}
}""",
        }
    )
    assert stack.languages == ["TypeScript ~5.4.0", "Node.js >=20"]
    assert stack.frameworks == ["Express", "NestJS"]
    assert stack.databases == ["PostgreSQL", "Redis"]
    assert stack.test_tools == ["Jest", "Vitest"]
    assert stack.version_of("express") == "^4.18.0"
    assert stack.version_of("ioredis") is None
    assert stack.version_of("vitest") is None


def test_plain_javascript_package():
    stack = stack_of({"package.json": '{"dependencies": {"mongoose": "^8.0.0"}, "devDependencies": {"mocha": "10"}}'})
    assert stack.languages == ["JavaScript", "Node.js"]
    assert stack.databases == ["MongoDB"]
    assert stack.test_tools == ["Mocha"]


def test_go_mod():
    stack = stack_of(
        {
            "go.mod": """module example.com/svc

go 1.22

require github.com/gin-gonic/gin v1.9.1

require (
\tgithub.com/jackc/pgx/v5 v5.5.5
\tgithub.com/redis/go-redis/v9 v9.5.1
\tgolang.org/x/text v0.14.0 // indirect
)
""",
        }
    )
    assert stack.languages == ["Go 1.22"]
    assert stack.frameworks == ["Gin"]
    assert stack.databases == ["PostgreSQL", "Redis"]
    assert stack.test_tools == ["go test"]
    assert stack.version_of("github.com/gin-gonic/gin") == "v1.9.1"
    assert stack.version_of("golang.org/x/text") is None  # indirect requirements are not read


def test_cargo_toml_with_features():
    stack = stack_of(
        {
            "Cargo.toml": """
[package]
name = "svc"
edition = "2021"
rust-version = "1.75"
[dependencies]
axum = "0.7"
sqlx = { version = "0.7", features = ["runtime-tokio", "postgres"] }
serde = { workspace = true }
[dev-dependencies]
tokio-test = "0.4"
""",
        }
    )
    assert stack.languages == ["Rust 1.75"]
    assert stack.frameworks == ["Axum"]
    assert stack.databases == ["PostgreSQL"]
    assert stack.test_tools == ["cargo test"]
    assert stack.version_of("sqlx") == "0.7"
    assert stack.version_of("serde") is None


def test_pom_xml_with_namespace_and_properties():
    stack = stack_of(
        {
            "pom.xml": """<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.2.4</version>
  </parent>
  <properties>
    <java.version>21</java.version>
    <pg.version>42.7.3</pg.version>
  </properties>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency>
      <groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>${pg.version}</version>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-test</artifactId>
    </dependency>
  </dependencies>
</project>""",
        }
    )
    assert stack.languages == ["Java 21"]
    assert stack.frameworks == ["Spring Boot"]
    assert stack.databases == ["PostgreSQL"]
    assert stack.test_tools == ["JUnit"]
    assert stack.version_of("spring-boot-starter-parent") == "3.2.4"
    assert stack.version_of("postgresql") == "42.7.3"
    assert stack.version_of("spring-boot-starter-web") is None


def test_gradle_kotlin_dsl_and_version_catalog():
    stack = stack_of(
        {
            "build.gradle.kts": """
plugins {
    kotlin("jvm") version "1.9.23"
    id("org.springframework.boot") version "3.2.4"
}
java { toolchain { languageVersion.set(JavaLanguageVersion.of(17)) } }
dependencies {
    implementation("org.springframework.boot:spring-boot-starter-data-redis")
    runtimeOnly("com.mysql:mysql-connector-j:8.3.0")
    testImplementation("org.junit.jupiter:junit-jupiter")
}
tasks.test { useJUnitPlatform() }
""",
            "gradle/libs.versions.toml": """
[versions]
kafka = "3.7.0"
[libraries]
kafka-clients = { module = "org.apache.kafka:kafka-clients", version.ref = "kafka" }
""",
        }
    )
    assert stack.languages == ["Java 17", "Kotlin"]
    assert stack.frameworks == ["Spring Boot"]
    assert stack.databases == ["Redis", "MySQL", "Kafka"]
    assert stack.test_tools == ["JUnit"]
    assert stack.version_of("mysql-connector-j") == "8.3.0"
    assert stack.version_of("org.springframework.boot") == "3.2.4"
    assert stack.version_of("kafka-clients") == "3.7.0"


def test_gemfile_and_composer():
    ruby = stack_of(
        {
            "Gemfile": "source 'https://rubygems.org'\nruby '3.3.0'\ngem 'rails', '~> 7.1', '>= 7.1.3'\n"
            "gem \"pg\"\ngroup :test do\n  gem 'rspec-rails'\nend\n",
        }
    )
    assert ruby.languages == ["Ruby 3.3.0"]
    assert ruby.frameworks == ["Ruby on Rails"]
    assert ruby.databases == ["PostgreSQL"]
    assert ruby.test_tools == ["RSpec"]
    assert ruby.version_of("rails") == "~> 7.1, >= 7.1.3"
    assert ruby.version_of("pg") is None

    php = stack_of(
        {
            "composer.json": '{"require": {"php": "^8.2", "laravel/framework": "^11.0", "ext-json": "*"},'
            ' "require-dev": {"phpunit/phpunit": "^11"}}',
        }
    )
    assert php.languages == ["PHP ^8.2"]
    assert php.frameworks == ["Laravel"]
    assert php.test_tools == ["PHPUnit"]
    assert all(not d.name.startswith("ext-") for d in php.dependencies)


def test_dockerfile_gives_the_runtime_version_and_build_args():
    stack = stack_of(
        {
            "pyproject.toml": '[project]\nrequires-python = ">=3.11"\ndependencies = []\n',
            "Dockerfile": "ARG PYTHON_VERSION=3.12\n"
            "FROM --platform=linux/amd64 python:${PYTHON_VERSION}-slim AS build\n"
            "RUN pip install .\nFROM build AS final\nFROM scratch\n",
        }
    )
    assert stack.languages == ["Python 3.12"]  # the exact runtime wins over the range
    assert stack.containerised
    assert stack.version_of("python") == "3.12-slim"
    assert [d.name for d in stack.dependencies] == ["python"]  # stages and scratch are not images


def test_dockerfile_with_unknown_variable_keeps_the_image_without_a_version():
    stack = stack_of({"Dockerfile": "FROM node:${NODE_VERSION}-alpine\n"})
    assert stack.languages == ["Node.js"]
    assert stack.version_of("node") is None


def test_compose_services_name_databases():
    stack = stack_of(
        {
            "docker-compose.yml": """
services:
  api:
    build: .
  db:
    image: postgres:${PG_VERSION:-16}-alpine
  cache:
    image: redis:7
  broker:
    image: docker.io/bitnami/kafka:3.7
  search:
    image: opensearchproject/opensearch:2.13.0
  queue:
    image: rabbitmq:3-management
  sql:
    image: mcr.microsoft.com/mssql/server:2022-latest
""",
        }
    )
    assert stack.services == ["api", "db", "cache", "broker", "search", "queue", "sql"]
    assert stack.databases == ["PostgreSQL", "Redis", "Kafka", "OpenSearch", "RabbitMQ", "SQL Server"]
    assert stack.version_of("postgres") == "16-alpine"
    assert stack.version_of("redis") == "7"
    assert stack.containerised
    assert stack.languages == []


def test_package_root_comes_first_and_root_manifests_are_added():
    files = {
        "compose.yaml": "services:\n  mongo:\n    image: mongo:7\n",
        "package.json": '{"devDependencies": {"prettier": "3.2.5"}}',
        "services/api/pyproject.toml": '[project]\ndependencies = ["fastapi>=0.110"]\n',
        "services/api/docker/Dockerfile": "FROM python:3.11-slim\n",
        "services/web/package.json": '{"dependencies": {"next": "14.1.0"}}',
    }
    stack = stack_of(files, root="services/api/")
    assert stack.manifests == [
        "services/api/pyproject.toml",
        "services/api/docker/Dockerfile",
        "package.json",
        "compose.yaml",
    ]
    assert stack.languages[0] == "Python 3.11"
    assert stack.frameworks == ["FastAPI"]  # the other package's Next.js is not read
    assert stack.databases == ["MongoDB"]


def test_installed_dependencies_and_deep_folders_are_ignored():
    stack = stack_of(
        {
            "node_modules/express/package.json": '{"dependencies": {"express": "4"}}',
            ".venv/lib/pyproject.toml": '[project]\ndependencies = ["django"]\n',
            "vendor/github.com/x/go.mod": "module x\ngo 1.21\n",
            "src/deep/package.json": '{"dependencies": {"react": "18"}}',
        }
    )
    assert stack.empty
    assert stack.manifests == []


def test_broken_manifests_are_skipped_and_version_files_read():
    stack = stack_of(
        {
            "pyproject.toml": "[project\nbroken",
            "package.json": "{not json",
            ".python-version": "3.12.2\n",
            ".nvmrc": "v20.11.0\n",
            ".tool-versions": "golang 1.22.1\nterraform 1.7.0\n",
            "jest.config.ts": "export default {}",
        }
    )
    assert stack.languages == ["Python 3.12.2", "Node.js 20.11.0", "Go 1.22.1"]
    assert stack.test_tools == ["Jest"]
    assert "pyproject.toml" not in stack.manifests


def test_package_roles_prefix_and_go_major_suffix():
    assert package_roles("maven", "spring-boot-starter-data-mongodb") == [
        Role("framework", "Spring Boot"),
        Role("database", "MongoDB"),
    ]
    assert package_roles("go", "github.com/labstack/echo/v4") == [Role("framework", "Echo")]
    assert package_roles("python", "unknown-package") == []
    assert package_roles("cargo", "diesel", ["mysql", "chrono"]) == [Role("database", "MySQL")]
