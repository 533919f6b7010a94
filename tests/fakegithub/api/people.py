"""Collaborator permissions and team memberships."""

from __future__ import annotations

from tests.fakegithub.api.base import REPO, Handlers
from tests.fakegithub.routing import Call, HttpError, Reply, Router, not_found


class PeopleRoutes(Handlers):
    """Who may do what: collaborator permissions, team memberships."""

    def register(self, router: Router) -> None:
        router.add("GET", f"{REPO}/collaborators/{{login}}/permission", self.get_permission)
        router.add("GET", "/orgs/{org}/teams/{team}/memberships/{login}", self.get_team_membership)

    def get_permission(self, call: Call) -> Reply:
        repo = self.repo(call)
        login = call.args["login"]
        user = self.world.users.get(login.lower())
        if user is None:
            raise HttpError(404, f"{login} is not a user")
        role = repo.roles.get(login.lower()) or ("none" if repo.private else "read")
        return Reply(200, self.shapes.collaborator_permission(repo, user, role))

    def get_team_membership(self, call: Call) -> Reply:
        org, team, login = call.args["org"], call.args["team"], call.args["login"]
        members = self.world.teams.get(f"{org}/{team}".lower())
        state = members.get(login.lower()) if members is not None else None
        if state is None:
            raise not_found()
        return Reply(200, {
            "url": f"{self.shapes.api}/organizations/{org}/team/{team}/memberships/{login}",
            "role": "member",
            "state": state,
        })
