"""App authentication: the app itself (JWT) and its installations' tokens."""

from __future__ import annotations

from datetime import timedelta

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.routing import Call, Reply, Router, not_found

TOKEN_LIFETIME = timedelta(hours=1)


class AppRoutes(Handlers):
    """`/app`, installations and installation tokens."""

    def register(self, router: Router) -> None:
        router.add("GET", "/app", self.get_app, auth="app")
        router.add("GET", "/app/installations/{id:int}", self.get_installation, auth="app")
        router.add("POST", "/app/installations/{id:int}/access_tokens", self.create_token, auth="app")
        router.add("GET", f"{REPO}/installation", self.get_repo_installation, auth="app")

    def get_app(self, call: Call) -> Reply:
        assert call.caller.app is not None
        return Reply(200, self.shapes.app(call.caller.app))

    def get_installation(self, call: Call) -> Reply:
        installation = self.world.installations.get(call.arg_int("id"))
        if installation is None or call.caller.app is None:
            raise not_found()
        return Reply(200, self.shapes.installation(installation, call.caller.app))

    def create_token(self, call: Call) -> Reply:
        installation = self.world.installations.get(call.arg_int("id"))
        if installation is None:
            raise not_found()
        token = self.world.issue_token(installation.id, TOKEN_LIFETIME)
        return Reply(201, {
            "token": token.token,
            "expires_at": token.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "permissions": {"contents": "write", "issues": "write", "pull_requests": "write", "metadata": "read"},
            "repository_selection": "all",
        })

    def get_repo_installation(self, call: Call) -> Reply:
        repo = self.world.repo(call.args["owner"], call.args["repo"])
        installation = self.world.installation_for(call.args["owner"])
        if repo is None or installation is None or call.caller.app is None:
            raise not_found()
        return Reply(200, self.shapes.installation(installation, call.caller.app))
