"""App authentication and what the app can see: the app itself (JWT), its installations, their
tokens, and the repositories each installation reaches."""

from __future__ import annotations

from datetime import timedelta

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.routing import Call, Reply, Router, invalid, not_found

TOKEN_LIFETIME = timedelta(hours=1)


class AppRoutes(Handlers):
    """`/app`, installations, installation tokens and an installation's repositories."""

    def register(self, router: Router) -> None:
        router.add("GET", "/app", self.get_app, auth="app")
        router.add("GET", "/app/installations", self.list_installations, auth="app")
        router.add("GET", "/app/installations/{id:int}", self.get_installation, auth="app")
        router.add("POST", "/app/installations/{id:int}/access_tokens", self.create_token, auth="app")
        router.add("GET", f"{REPO}/installation", self.get_repo_installation, auth="app")
        router.add("GET", "/installation/repositories", self.list_installation_repos)

    def get_app(self, call: Call) -> Reply:
        assert call.caller.app is not None
        return Reply(200, self.shapes.app(call.caller.app))

    def list_installations(self, call: Call) -> Reply:
        """Every installation of the app, oldest first, paged by `page` and `per_page`."""
        app = call.caller.app
        assert app is not None
        if call.params.get("since") or call.params.get("outdated"):
            raise invalid("the fake does not filter installations by since or outdated")
        return self.page(call, [self.shapes.installation(i, app) for i in self.world.installations.values()])

    def list_installation_repos(self, call: Call) -> Reply:
        """The repositories of the installation's account (every installation has access to all
        of them), paged inside `{total_count, repositories}`."""
        installation = call.caller.installation
        assert installation is not None
        owner = installation.account.login.lower()
        repos = [self.shapes.repo(repo) for repo in self.world.repos.values() if repo.owner.login.lower() == owner]
        reply = self.page(call, repos)
        reply.body = {"total_count": len(repos), "repository_selection": "all", "repositories": reply.body}
        return reply

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
