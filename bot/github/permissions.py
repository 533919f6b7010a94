"""Who may vote and command: repository permission, named users and teams, never bots."""

from __future__ import annotations

from collections.abc import MutableMapping

from githubkit.exception import RequestFailed
from pydantic import BaseModel

from bot.github.client import Installation
from bot.github.repo_config import PERMISSION_RANK, Permission, VotersConfig


class CollaboratorPermission(BaseModel):
    login: str
    permission: str  # admin, write, read or none (GitHub's base permission)
    role_name: str  # admin, maintain, write, triage, read, or an organisation's custom role

    def rank(self) -> int:
        """How much this person may do; a custom role counts as its base permission."""
        return PERMISSION_RANK.get(self.role_name, PERMISSION_RANK.get(self.permission, 0))

    def at_least(self, minimum: Permission) -> bool:
        return self.rank() >= PERMISSION_RANK[minimum]


def is_bot_login(login: str) -> bool:
    return login.lower().endswith("[bot]")


def collaborator_permission(
    inst: Installation,
    owner: str,
    repo: str,
    login: str,
    cache: MutableMapping[str, CollaboratorPermission] | None = None,
) -> CollaboratorPermission:
    """A person's permission on the repository (`none` for an unknown login).

    Pass the same `cache` dict to every call of one job: each login is asked about once.
    """
    key = login.lower()
    if cache is not None and key in cache:
        return cache[key]
    try:
        data = inst.gh.rest.repos.get_collaborator_permission_level(owner, repo, login).parsed_data
        found = CollaboratorPermission(login=login, permission=data.permission, role_name=data.role_name)
    except RequestFailed as exc:
        if exc.response.status_code != 404:
            raise
        found = CollaboratorPermission(login=login, permission="none", role_name="none")
    if cache is not None:
        cache[key] = found
    return found


def team_member(inst: Installation, org: str, team_slug: str, login: str) -> bool:
    """True when `login` is an active member of the team (needs the app's `members: read`)."""
    try:
        data = inst.gh.rest.teams.get_membership_for_user_in_org(org, team_slug, login).parsed_data
    except RequestFailed as exc:
        if exc.response.status_code in (403, 404):
            return False
        raise
    return data.state == "active"


def is_eligible(
    inst: Installation,
    owner: str,
    repo: str,
    login: str,
    voters: VotersConfig,
    cache: MutableMapping[str, CollaboratorPermission] | None = None,
) -> bool:
    """May `login` vote or run commands here? Named users first, then the permission, then teams."""
    if is_bot_login(login):
        return False
    if login.lower() in {user.lower() for user in voters.users}:
        return True
    if collaborator_permission(inst, owner, repo, login, cache).at_least(voters.min_permission):
        return True
    for team in voters.teams:
        org, _, slug = team.rpartition("/")
        if team_member(inst, org or owner, slug, login):
            return True
    return False
