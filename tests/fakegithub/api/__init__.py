"""The REST endpoints the fake serves, grouped by concern, over the `World` state."""

from __future__ import annotations

from tests.fakegithub.api.app import AppRoutes
from tests.fakegithub.api.base import Handlers, Options
from tests.fakegithub.api.checks import CheckRoutes
from tests.fakegithub.api.comments import CommentRoutes
from tests.fakegithub.api.compare import CompareRoutes
from tests.fakegithub.api.contents import ContentRoutes
from tests.fakegithub.api.git import GitRoutes
from tests.fakegithub.api.issues import IssueRoutes
from tests.fakegithub.api.people import PeopleRoutes
from tests.fakegithub.api.pulls import PullRoutes
from tests.fakegithub.routing import Router
from tests.fakegithub.shapes import Shapes
from tests.fakegithub.state import World

GROUPS: tuple[type[Handlers], ...] = (
    AppRoutes, ContentRoutes, GitRoutes, IssueRoutes, CommentRoutes, PeopleRoutes, PullRoutes, CheckRoutes,
    CompareRoutes,
)


class Api:
    """Every endpoint group registered on one router."""

    def __init__(self, world: World, shapes: Shapes, options: Options | None = None) -> None:
        self.world = world
        self.shapes = shapes
        self.options = options or Options()
        self.router = Router()
        for group in GROUPS:
            group(world, shapes, self.options).register(self.router)
