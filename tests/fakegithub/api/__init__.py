"""The REST endpoints the fake serves, grouped by concern, over the `World` state."""

from __future__ import annotations

from typing import TypeVar

from tests.fakegithub.api.app import AppRoutes
from tests.fakegithub.api.base import Handlers, Options
from tests.fakegithub.api.checks import CheckRoutes
from tests.fakegithub.api.comments import CommentRoutes
from tests.fakegithub.api.compare import CompareRoutes
from tests.fakegithub.api.contents import ContentRoutes
from tests.fakegithub.api.deliveries import DeliveryRoutes
from tests.fakegithub.api.git import GitRoutes
from tests.fakegithub.api.issues import IssueRoutes
from tests.fakegithub.api.manifests import ManifestRoutes
from tests.fakegithub.api.people import PeopleRoutes
from tests.fakegithub.api.pulls import PullRoutes
from tests.fakegithub.routing import Router
from tests.fakegithub.shapes import Shapes
from tests.fakegithub.state import World

H = TypeVar("H", bound=Handlers)

GROUPS: tuple[type[Handlers], ...] = (
    AppRoutes, ContentRoutes, GitRoutes, IssueRoutes, CommentRoutes, PeopleRoutes, PullRoutes, CheckRoutes,
    CompareRoutes, ManifestRoutes, DeliveryRoutes,
)


class Api:
    """Every endpoint group registered on one router."""

    def __init__(self, world: World, shapes: Shapes, options: Options | None = None) -> None:
        self.world = world
        self.shapes = shapes
        self.options = options or Options()
        self.router = Router()
        self.groups: dict[type[Handlers], Handlers] = {}
        for kind in GROUPS:
            group = kind(world, shapes, self.options)
            group.register(self.router)
            self.groups[kind] = group

    def group(self, kind: type[H]) -> H:
        """The registered instance of one endpoint group (for test-side helpers that reach its state)."""
        found = self.groups[kind]
        assert isinstance(found, kind)
        return found
