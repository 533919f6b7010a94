"""`FakeGitHub`: the fake served by uvicorn on a free 127.0.0.1 port, with the API tests use to
seed state, arm faults and look at what was asked.

The REST root is `<url>` (`http://127.0.0.1:PORT/api/v3`, the GitHub Enterprise Server layout, so
a client that only works against `https://api.github.com` fails here); web links (`html_url`) use
the bare host, as on GitHub Enterprise Server.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import re
import socket
import threading
import time
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import jwt
import uvicorn

from tests.fakegithub import deliveries as delivery_log
from tests.fakegithub.deliveries import DeliveryView, Redeliver, RedeliveryView
from tests.fakegithub.faults import Fault, Faults
from tests.fakegithub.gitstore import Person, TreeEntry
from tests.fakegithub.routing import Call, Caller, HttpError, Reply
from tests.fakegithub.records import HEADERS_OF_INTEREST, RecordedRequest
from tests.fakegithub.api import Api
from tests.fakegithub.api.manifests import CreatedApp, ManifestRoutes
from tests.fakegithub.api.pulls import merge_pull_request, refresh_head
from tests.fakegithub.shapes import Shapes
from tests.fakegithub.state import (
    REACTION_CONTENTS,
    REVIEW_STATES,
    App,
    CheckRun,
    Comment,
    Installation,
    Issue,
    Label,
    PullRequest,
    Reaction,
    Repo,
    Review,
    ReviewComment,
    World,
    now,
)

API_PREFIX = "/api/v3"
RATE_LIMIT = 5000


@dataclass(frozen=True)
class CommentView:
    id: int
    body: str
    author: str
    author_type: str
    via_app: bool
    reactions: dict[str, int]


@dataclass(frozen=True)
class IssueView:
    number: int
    title: str
    body: str | None
    state: str
    labels: tuple[str, ...]
    reactions: dict[str, int]


@dataclass(frozen=True)
class LabelView:
    name: str
    color: str
    description: str | None


@dataclass(frozen=True)
class PullView:
    number: int
    title: str
    body: str | None
    head: str
    base: str
    state: str
    draft: bool
    merged: bool
    merged_by: str | None
    head_sha: str
    author: str


@dataclass(frozen=True)
class ReviewCommentView:
    id: int
    review_id: int | None
    path: str
    line: int | None
    body: str
    author: str


@dataclass(frozen=True)
class CheckRunView:
    id: int
    name: str
    head_sha: str
    status: str
    conclusion: str | None
    title: str | None
    summary: str | None
    text: str | None
    details_url: str | None
    annotations: list[dict[str, Any]]  # as sent: path, start_line, end_line, annotation_level, message, …


@dataclass(frozen=True)
class CommitView:
    sha: str
    message: str
    parents: tuple[str, ...]
    tree: str


class RateLimit:
    def __init__(self) -> None:
        self.remaining = RATE_LIMIT
        self.reset = math.ceil(time.time()) + 3600

    def refresh(self) -> None:
        if time.time() >= self.reset:
            self.remaining = RATE_LIMIT
            self.reset = math.ceil(time.time()) + 3600

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(RATE_LIMIT),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-used": str(RATE_LIMIT - self.remaining),
            "x-ratelimit-reset": str(self.reset),
            "x-ratelimit-resource": "core",
        }


def counts(reactions: Iterable[Reaction]) -> dict[str, int]:
    listed = list(reactions)
    return {content: sum(1 for r in listed if r.content == content) for content in REACTION_CONTENTS}


class FakeGitHub:
    """A stateful fake of the GitHub REST API for one GitHub App.

    Start it with `start()` (or as a context manager); `url` is the REST root to give githubkit
    as `base_url`. Every seeding and inspection method is safe to call while clients talk to it.
    """

    def __init__(self, *, app_id: int, app_public_key_pem: str, app_slug: str = "planbot",
                 app_owner: str = "planbot-dev", webhook_secret: str | None = None) -> None:
        self._app_args = (app_id, app_public_key_pem, app_slug, app_owner)
        self._webhook_secret = webhook_secret
        # signs the deliveries `log_delivery` records; a test may change it (reset restores it)
        self.webhook_secret = webhook_secret
        self.world = self._new_world()
        self.faults = Faults()
        self.rate = RateLimit()
        self._records: list[RecordedRequest] = []
        self.internal_errors: list[str] = []  # tracebacks of the fake's own bugs (answered 500)
        self._in_flight = 0
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.api: Api | None = None

    def _new_world(self) -> World:
        app_id, public_key, slug, owner_login = self._app_args
        world = World()
        owner = world.user(owner_login, "Organization")
        bot = world.user(f"{slug}[bot]", "Bot")
        world.app = App(app_id, slug, slug.capitalize(), owner, public_key, bot)
        return world

    def reset(self) -> None:
        """Forget everything (state, faults, records) but the app; the server keeps running."""
        deadline = time.monotonic() + 10
        while self._in_flight and time.monotonic() < deadline:
            time.sleep(0.01)  # let answers still on their way (slow faults) finish first
        world = self._new_world()
        with self.world.lock:
            self.world = world
            self.faults = Faults()
            self.rate = RateLimit()
            self._records = []
            self.internal_errors = []
            self.webhook_secret = self._webhook_secret
            if self.api is not None:
                self.api = Api(world, self.api.shapes)

    # -- life cycle ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def app(self) -> App:
        assert self.world.app is not None
        return self.world.app

    def start(self) -> FakeGitHub:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms delayed-ACK stalls
        sock.bind(("127.0.0.1", 0))
        self.port = int(sock.getsockname()[1])
        self._socket = sock
        self.api = Api(self.world, Shapes(api=self.url, web=self.web_url))
        config = uvicorn.Config(self._asgi, interface="asgi3", lifespan="off", log_level="warning", access_log=False,
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="fake-github", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake GitHub server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the HTTP side ---------------------------------------------------------------------

    async def _asgi(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self._in_flight += 1
        try:
            await self._serve(scope, receive, send)
        finally:
            self._in_flight -= 1

    async def _serve(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        chunks: list[bytes] = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        started = time.monotonic()
        at = datetime.now(UTC)
        method = scope["method"].upper()
        raw_path = scope.get("raw_path", scope["path"].encode()).decode("latin-1").split("?", 1)[0]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        raw_body = b"".join(chunks)
        try:
            body: Any = json.loads(raw_body) if raw_body.strip() else None
        except ValueError:
            body = _UNPARSABLE
        inside = raw_path.startswith(API_PREFIX + "/")
        path = raw_path[len(API_PREFIX):] if inside else raw_path

        with self.world.lock:
            fault = self.faults.take(method, path) if inside else None
        if not inside:  # only the REST root answers, as on GitHub Enterprise Server
            reply = HttpError(404, "Not Found").reply()
        elif fault is not None and (fault.kind == "secondary_rate_limit" or
                                  (fault.kind == "server_error" and not fault.after)):
            reply = fault.reply()
        else:
            reply = self._handle(Call(method, path, query, headers, body))
            if reply.after is not None:
                reply = await self._finish(reply)
            if fault is not None and fault.kind == "server_error":
                reply = fault.reply()
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(fault.seconds)

        with self.world.lock:
            reply.headers.update(self.rate.headers())
        reply.headers.setdefault("x-github-request-id", hashlib.sha1(f"{started}{path}".encode()).hexdigest()[:16])
        payload = b"" if reply.body is None else json.dumps(reply.body).encode()
        out_headers = [(k.encode(), v.encode()) for k, v in reply.headers.items()]
        if reply.body is not None:
            out_headers.append((b"content-type", b"application/json; charset=utf-8"))
        out_headers.append((b"content-length", str(len(payload)).encode()))
        auth = headers.get("authorization", "").partition(" ")[0].lower() or None
        record = RecordedRequest(
            method=method, path=path, query=query,
            headers={k: headers[k] for k in HEADERS_OF_INTEREST if k in headers},
            auth=auth, body=None if body is _UNPARSABLE else body, status=reply.status,
            started=started, finished=time.monotonic(), at=at,
        )
        with self.world.lock:
            self._records.append(record)
        await send({"type": "http.response.start", "status": reply.status, "headers": out_headers})
        await send({"type": "http.response.body", "body": payload})

    async def _finish(self, reply: Reply) -> Reply:
        """Run a reply's `after` work in a thread (the loop keeps serving the calls it makes
        back into the fake); a failure there is the fake's or the test's bug: answer 500."""
        assert reply.after is not None
        try:
            await asyncio.to_thread(reply.after)
        except Exception:  # noqa: BLE001 - any failure is reported to the test through internal_errors
            with self.world.lock:
                self.internal_errors.append(traceback.format_exc())
            return Reply(500, {"message": "fake GitHub internal error"})
        return reply

    def _handle(self, call: Call) -> Reply:
        assert self.api is not None
        with self.world.lock:
            try:
                if call.body is _UNPARSABLE:
                    raise HttpError(400, "Problems parsing JSON")
                route, call.args = self.api.router.match(call.method, call.path)
                call.caller = self._authenticate(call, route.auth)
                self.rate.refresh()
                if self.rate.remaining <= 0:
                    installation = call.caller.installation
                    who = f" for installation ID {installation.id}" if installation else ""
                    raise HttpError(403, f"API rate limit exceeded{who}.")
                reply = route.handler(call)
            except HttpError as exc:
                return exc.reply()
            except Exception:  # a bug in the fake: answer 500 and keep the traceback for the test
                self.internal_errors.append(traceback.format_exc())
                return Reply(500, {"message": "fake GitHub internal error"})
            if call.method == "GET" and reply.status == 200:
                tag = self._etag(reply)
                reply.headers["etag"] = tag
                if _etag_matches(call.headers.get("if-none-match"), tag):
                    return Reply(304, None, {"etag": tag})
            self.rate.remaining -= 1
            return reply

    @staticmethod
    def _etag(reply: Reply) -> str:
        digest = hashlib.sha1(json.dumps(reply.body, sort_keys=True).encode())
        digest.update(reply.headers.get("link", "").encode())
        return f'W/"{digest.hexdigest()}"'

    def _authenticate(self, call: Call, level: str) -> Caller:
        scheme, _, credential = call.headers.get("authorization", "").partition(" ")
        scheme = scheme.lower()
        app = self.app
        if level == "none":  # e.g. manifest conversions: the code in the path is the credential
            return Caller()
        if level == "app":
            if scheme != "bearer" or not credential:
                raise HttpError(401, "A JSON web token could not be decoded")
            try:
                claims = jwt.decode(credential.strip(), app.public_key_pem, algorithms=["RS256"],
                                    options={"require": ["iat", "exp", "iss"]}, leeway=30)
            except jwt.PyJWTError as exc:
                raise HttpError(401, f"A JSON web token could not be decoded: {exc}") from exc
            if str(claims["iss"]) != str(app.id):
                raise HttpError(401, "'Issuer' claim ('iss') must be the app's id")
            if int(claims["exp"]) > time.time() + 600 + 30:
                raise HttpError(401, "'Expiration time' claim ('exp') is too far in the future")
            return Caller(app=app)
        if scheme not in ("token", "bearer") or not credential:
            raise HttpError(401, "Requires authentication")
        token = self.world.tokens.get(credential.strip())
        if token is None or token.expires_at <= now():
            raise HttpError(401, "Bad credentials")
        installation = self.world.installations[token.installation_id]
        return Caller(app=app, installation=installation, actor=app.bot)

    # -- seeding ---------------------------------------------------------------------------

    def install(self, account: str, installation_id: int | None = None, kind: str = "Organization") -> int:
        """Install the app on an account; returns the installation id."""
        with self.world.lock:
            user = self.world.user(account, kind)
            ident = installation_id if installation_id is not None else self.world.next_id()
            self.world.installations[ident] = Installation(ident, user)
            return ident

    def add_user(self, login: str, kind: str = "User") -> None:
        with self.world.lock:
            self.world.user(login, kind)

    def add_repo(self, owner: str, name: str, *, private: bool = False, default_branch: str = "main",
                 files: Mapping[str, str | bytes] | None = None, empty: bool = False) -> None:
        """A repository; unless `empty`, its default branch holds one commit with `files`
        (a README when none are given)."""
        with self.world.lock:
            user = self.world.user(owner, "Organization")
            repo = Repo(self.world.next_id(), user, name, private, default_branch, now())
            self.world.repos[repo.full_name.lower()] = repo
            if not empty:
                content = files if files is not None else {"README.md": f"# {name}\n"}
                self._commit(repo, default_branch, dict(content), "Initial commit", parent=None)

    def push(self, owner: str, repo: str, branch: str, files: Mapping[str, str | bytes | None],
             message: str = "Update files", author: str = "alice") -> str:
        """A person's commit on `branch` (made from the default branch when new); None deletes a file."""
        with self.world.lock:
            target = self._repo(owner, repo)
            parent = target.head(branch) or target.head(target.default_branch)
            return self._commit(target, branch, dict(files), message, parent=parent, author=author)

    def _commit(self, repo: Repo, branch: str, files: dict[str, str | bytes | None], message: str,
                parent: str | None, author: str = "alice") -> str:
        git = repo.git
        flat = git.flatten(git.commits[parent].tree) if parent else {}
        for path, content in files.items():
            if content is None:
                flat.pop(path, None)
            else:
                data = content.encode() if isinstance(content, str) else content
                flat[path] = TreeEntry(path, "100644", git.put_blob(data))
        tree = git.build(flat)
        person = Person(author, f"{author}@example.com", now())
        sha = git.put_commit(tree, [parent] if parent else [], message, person, person)
        repo.refs[f"refs/heads/{branch}"] = sha
        return sha

    def set_role(self, owner: str, repo: str, login: str, role: str) -> None:
        """`role`: admin, maintain, write, triage or read."""
        with self.world.lock:
            self.world.user(login)
            self._repo(owner, repo).roles[login.lower()] = role

    def add_team_member(self, org: str, team: str, login: str, state: str = "active") -> None:
        """`state`: active, or pending (invited, not yet a member)."""
        with self.world.lock:
            self.world.user(login)
            self.world.teams.setdefault(f"{org}/{team}".lower(), {})[login.lower()] = state

    def add_label(self, owner: str, repo: str, name: str, color: str = "ededed",
                  description: str | None = None) -> None:
        with self.world.lock:
            self._repo(owner, repo).labels[name.lower()] = Label(self.world.next_id(), name, color, description)

    def add_issue(self, owner: str, repo: str, title: str, body: str | None = None, *, author: str = "alice",
                  labels: Iterable[str] = ()) -> int:
        with self.world.lock:
            target = self._repo(owner, repo)
            stamp = now()
            issue = Issue(target.next_number(), self.world.next_id(), title, body, self.world.user(author),
                          stamp, stamp)
            for name in labels:
                if target.label(name) is None:
                    target.labels[name.lower()] = Label(self.world.next_id(), name, "ededed")
                issue.labels.append(name)
            target.issues[issue.number] = issue
            return issue.number

    def add_comment(self, owner: str, repo: str, number: int, body: str, *, author: str = "alice",
                    author_type: str = "User", as_app: bool = False) -> int:
        """A comment by a person, by another bot (`author_type="Bot"`), or by this app (`as_app`)."""
        with self.world.lock:
            target = self._repo(owner, repo)
            if number not in target.issues:
                raise KeyError(f"no issue #{number} in {owner}/{repo}")
            user = self.app.bot if as_app else self.world.user(author, author_type)
            stamp = now()
            comment = Comment(self.world.next_id(), number, body, user, as_app, stamp, stamp)
            target.comments[comment.id] = comment
            return comment.id

    def edit_comment(self, owner: str, repo: str, comment_id: int, body: str) -> None:
        with self.world.lock:
            comment = self._repo(owner, repo).comments[comment_id]
            comment.body = body
            comment.updated_at = now()

    def add_reaction(self, owner: str, repo: str, content: str, *, user: str, issue: int | None = None,
                     comment: int | None = None, user_type: str = "User") -> int:
        """A reaction by `user` on an issue or on a comment."""
        if content not in REACTION_CONTENTS:
            raise ValueError(f"unknown reaction {content}")
        with self.world.lock:
            target = self._repo(owner, repo)
            reactions = target.comments[comment].reactions if comment is not None else \
                target.issues[issue or 0].reactions
            reaction = Reaction(self.world.next_id(), self.world.user(user, user_type), content, now())
            reactions.append(reaction)
            return reaction.id

    def add_pull(self, owner: str, repo: str, head: str, title: str, body: str | None = None, *,
                 base: str | None = None, author: str = "alice", draft: bool = False) -> int:
        """A pull request opened by a person from `head` (which must exist) into `base` (the
        default branch when not given); returns its number."""
        with self.world.lock:
            target = self._repo(owner, repo)
            into = base or target.default_branch
            head_sha, base_sha = target.head(head), target.head(into)
            if head_sha is None or base_sha is None:
                raise KeyError(f"no branch {head if head_sha is None else into} in {owner}/{repo}")
            stamp = now()
            issue = Issue(target.next_number(), self.world.next_id(), title, body, self.world.user(author), stamp,
                          stamp, pull=PullRequest(head, into, head_sha, base_sha, draft=draft))
            target.issues[issue.number] = issue
            return issue.number

    def merge_pull(self, owner: str, repo: str, number: int, merged_by: str = "alice") -> str:
        """A person merges an open pull request: the base branch fast-forwards to the head when it
        has not moved, else gains a merge commit with the head's tree. Returns the base's new head."""
        with self.world.lock:
            target = self._repo(owner, repo)
            issue = self._pull(target, number)
            if issue.state != "open":
                raise ValueError(f"pull request #{number} is {issue.state}")
            return merge_pull_request(target, issue, self.world.user(merged_by), "merge", fast_forward=True)

    def close_pull(self, owner: str, repo: str, number: int) -> None:
        """A person closes a pull request without merging it."""
        with self.world.lock:
            target = self._repo(owner, repo)
            issue = self._pull(target, number)
            refresh_head(target, issue)
            stamp = now()
            issue.state, issue.closed_at, issue.updated_at = "closed", stamp, stamp

    def add_review(self, owner: str, repo: str, number: int, *, user: str, state: str = "CHANGES_REQUESTED",
                   body: str = "", comments: Iterable[tuple[str, int | None, str]] = ()) -> int:
        """A person's submitted review, with line comments `(path, line, body)` (a None line
        comments on the whole file). Returns the review id."""
        if state not in REVIEW_STATES:
            raise ValueError(f"unknown review state {state}")
        with self.world.lock:
            target = self._repo(owner, repo)
            issue = self._pull(target, number)
            assert issue.pull is not None
            refresh_head(target, issue)
            reviewer = self.world.user(user)
            stamp = now()
            review = Review(self.world.next_id(), number, reviewer, state, body, issue.pull.head_sha, stamp)
            target.reviews[review.id] = review
            for path, line, text in comments:
                comment = ReviewComment(self.world.next_id(), number, review.id, path, line, text, reviewer,
                                        issue.pull.head_sha, stamp, stamp)
                target.review_comments[comment.id] = comment
            issue.updated_at = stamp
            return review.id

    def set_tree_limit(self, limit: int | None) -> None:
        """Recursive tree listings with more entries than `limit` come back truncated."""
        assert self.api is not None
        with self.world.lock:
            self.api.options.tree_limit = limit

    def manifest_code(self, manifest: Mapping[str, Any] | str, *, owner: str = "octocat") -> str:
        """Record `manifest` (the form's JSON text, or the object) as confirmed by `owner` on
        GitHub's page; returns the code GitHub's redirect would carry. ValueError for a manifest
        GitHub would refuse."""
        parsed = json.loads(manifest) if isinstance(manifest, str) else manifest
        if not isinstance(parsed, Mapping):
            raise TypeError("a manifest is a JSON object")
        assert self.api is not None, "start the fake first"
        with self.world.lock:
            return self.api.group(ManifestRoutes).issue_code(parsed, owner)

    def manifests(self) -> list[dict[str, Any]]:
        """The manifests recorded by `manifest_code`, oldest first."""
        assert self.api is not None
        with self.world.lock:
            return [dict(p.manifest) for p in self.api.group(ManifestRoutes).store.pending.values()]

    def created_apps(self) -> list[CreatedApp]:
        """The apps manifest conversions created, with their keys and secrets, oldest first."""
        assert self.api is not None
        with self.world.lock:
            return list(self.api.group(ManifestRoutes).store.created)

    def revoke_tokens(self) -> None:
        """Every installation token stops working (as when they expire)."""
        with self.world.lock:
            self.world.tokens.clear()

    # -- the app's webhook deliveries ------------------------------------------------------

    def log_delivery(self, event: str, action: str | None, payload: Mapping[str, Any], *, status_code: int = 202,
                     guid: str | None = None, installation_id: int | None = None,
                     delivered_at: datetime | None = None, status: str | None = None,
                     duration: float | None = None) -> int:
        """Record that GitHub tried to deliver `payload` to the app; returns the delivery id.

        `status_code` is what the app answered: 0 (it never answered: timeout, unreachable) or
        400 and up count as failed. `status` defaults to GitHub's text for the code ("OK",
        "Timeout", "Invalid HTTP Response: 500"); `guid` to a fresh UUID; `installation_id` and
        the repository to the payload's; `delivered_at` to now (give a past time to age it)."""
        with self.world.lock:
            delivery = delivery_log.record(
                self.world, app_id=self.app.id, secret=self.webhook_secret, event=event, action=action,
                payload=payload, status_code=status_code, status=status, guid=guid,
                installation_id=installation_id, delivered_at=delivered_at, duration=duration)
            return delivery.id

    @property
    def on_redeliver(self) -> Redeliver | None:
        """Called as `on_redeliver(item, payload) -> status` for every redelivery the app asks
        for, before the fake answers 202: deliver `payload` to the app under test (as `item`, the
        attempt being redelivered, was: same `guid`, `item.body` and `item.headers` are the exact
        request) and return the HTTP status it answered. Without one, redeliveries fail as
        unreachable. `reset()` clears it."""
        return self.api.options.on_redeliver if self.api is not None else None

    @on_redeliver.setter
    def on_redeliver(self, callback: Redeliver | None) -> None:
        assert self.api is not None, "start the fake first"
        with self.world.lock:
            self.api.options.on_redeliver = callback

    def deliveries(self) -> list[DeliveryView]:
        """Every delivery attempt in the app's log, redeliveries included, in the order logged
        (the API lists them newest first)."""
        with self.world.lock:
            return [delivery_log.view(d) for d in self.world.deliveries.values()]

    def redelivery_requests(self) -> list[RedeliveryView]:
        """The redeliveries asked for through the API, oldest first."""
        with self.world.lock:
            return [delivery_log.redelivery_view(r) for r in self.world.redeliveries]

    # -- faults ----------------------------------------------------------------------------

    def fail(self, path: str, method: str = "*", *, status: int = 502, times: int = 1, after: bool = False) -> None:
        """The next `times` requests matching answer `status`; with `after`, each is performed
        first (the answer is lost, the change is made). `path` is a regular expression."""
        self._arm(Fault("server_error", method.upper(), re.compile(path), times, status=status, after=after))

    def rate_limit(self, path: str, method: str = "*", *, retry_after: int | None = 1, status: int = 403,
                   times: int = 1) -> None:
        """The next `times` requests matching answer a secondary rate limit (403 or 429)."""
        self._arm(Fault("secondary_rate_limit", method.upper(), re.compile(path), times, status=status,
                        retry_after=retry_after))

    def slow(self, path: str, method: str = "*", *, seconds: float, times: int = 1) -> None:
        """The next `times` requests matching are performed, then answered `seconds` late."""
        self._arm(Fault("slow", method.upper(), re.compile(path), times, seconds=seconds))

    def exhaust_rate_limit(self, reset_in: float) -> None:
        """The primary rate limit is used up until `reset_in` seconds from now."""
        with self.world.lock:
            self.rate.remaining = 0
            self.rate.reset = math.ceil(time.time() + reset_in)

    def _arm(self, fault: Fault) -> None:
        with self.world.lock:
            self.faults.arm(fault)

    def pending_faults(self) -> int:
        with self.world.lock:
            return self.faults.pending()

    # -- inspection ------------------------------------------------------------------------

    def requests(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        """Recorded requests, oldest first; `path` is a regular expression."""
        with self.world.lock:
            return [r for r in self._records if r.matches(method, path)]

    def writes(self) -> list[RecordedRequest]:
        """Mutating requests on repositories (not the app's own token requests)."""
        return [r for r in self.requests() if r.is_write]

    def content_writes(self) -> list[RecordedRequest]:
        """Requests that create something people see: issues, comments, pull requests, reactions."""
        return [r for r in self.requests() if r.is_content_creating]

    def clear_requests(self) -> None:
        with self.world.lock:
            self._records.clear()

    def _repo(self, owner: str, name: str) -> Repo:
        repo = self.world.repo(owner, name)
        if repo is None:
            raise KeyError(f"no repository {owner}/{name}")
        return repo

    def branch(self, owner: str, repo: str, name: str) -> str | None:
        with self.world.lock:
            return self._repo(owner, repo).head(name)

    def branches(self, owner: str, repo: str) -> list[str]:
        with self.world.lock:
            refs = self._repo(owner, repo).refs
            return sorted(name.removeprefix("refs/heads/") for name in refs if name.startswith("refs/heads/"))

    def files(self, owner: str, repo: str, ref: str) -> dict[str, bytes]:
        """Every file at a branch or commit."""
        with self.world.lock:
            target = self._repo(owner, repo)
            sha = target.head(ref) or ref
            flat = target.git.flatten(target.git.commits[sha].tree)
            return {path: target.git.blobs[entry.sha] for path, entry in flat.items()}

    def commit(self, owner: str, repo: str, sha: str) -> CommitView:
        with self.world.lock:
            found = self._repo(owner, repo).git.commits[sha]
            return CommitView(found.sha, found.message, found.parents, found.tree)

    def history(self, owner: str, repo: str, branch: str) -> list[CommitView]:
        """First-parent history of a branch, newest first."""
        with self.world.lock:
            target = self._repo(owner, repo)
            sha = target.head(branch)
            listed: list[CommitView] = []
            while sha is not None:
                found = target.git.commits[sha]
                listed.append(CommitView(found.sha, found.message, found.parents, found.tree))
                sha = found.parents[0] if found.parents else None
            return listed

    def issue(self, owner: str, repo: str, number: int) -> IssueView:
        with self.world.lock:
            found = self._repo(owner, repo).issues[number]
            return IssueView(found.number, found.title, found.body, found.state, tuple(found.labels),
                             counts(found.reactions))

    def issue_reactions(self, owner: str, repo: str, number: int) -> list[tuple[str, str]]:
        """(login, content) of every reaction on an issue."""
        with self.world.lock:
            return [(r.user.login, r.content) for r in self._repo(owner, repo).issues[number].reactions]

    def comments(self, owner: str, repo: str, number: int) -> list[CommentView]:
        with self.world.lock:
            return [CommentView(c.id, c.body, c.user.login, c.user.type, c.via_app, counts(c.reactions))
                    for c in self._repo(owner, repo).issue_comments(number)]

    def comment_reactions(self, owner: str, repo: str, comment_id: int) -> list[tuple[str, str]]:
        with self.world.lock:
            return [(r.user.login, r.content) for r in self._repo(owner, repo).comments[comment_id].reactions]

    def labels(self, owner: str, repo: str) -> list[LabelView]:
        with self.world.lock:
            return [LabelView(label.name, label.color, label.description)
                    for label in self._repo(owner, repo).labels.values()]

    def pulls(self, owner: str, repo: str) -> list[PullView]:
        with self.world.lock:
            target = self._repo(owner, repo)
            listed: list[PullView] = []
            for issue in target.issues.values():
                if (pull := issue.pull) is None:
                    continue
                refresh_head(target, issue)
                listed.append(PullView(issue.number, issue.title, issue.body, pull.head, pull.base, issue.state,
                                       pull.draft, pull.merged, pull.merged_by.login if pull.merged_by else None,
                                       pull.head_sha, issue.user.login))
            return listed

    def review_comments(self, owner: str, repo: str, number: int) -> list[ReviewCommentView]:
        with self.world.lock:
            return [ReviewCommentView(c.id, c.review_id, c.path, c.line, c.body, c.user.login)
                    for c in self._repo(owner, repo).pull_review_comments(number)]

    def check_runs(self, owner: str, repo: str) -> list[CheckRunView]:
        """Every check run of the repository, oldest first."""
        with self.world.lock:
            return [_check_run_view(run) for run in self._repo(owner, repo).check_runs.values()]

    def _pull(self, repo: Repo, number: int) -> Issue:
        issue = repo.issues.get(number)
        if issue is None or issue.pull is None:
            raise KeyError(f"no pull request #{number} in {repo.full_name}")
        return issue


def _check_run_view(run: CheckRun) -> CheckRunView:
    return CheckRunView(run.id, run.name, run.head_sha, run.status, run.conclusion, run.title, run.summary,
                        run.text, run.details_url, [dict(a) for a in run.annotations])


def _etag_matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    wanted = {value.strip().removeprefix("W/") for value in header.split(",")}
    return tag.removeprefix("W/") in wanted or "*" in wanted


class _Unparsable:
    """Marks a request body that is not JSON."""


_UNPARSABLE: Any = _Unparsable()
