"""A GitHub plan with a model configured: the decision comments carry the model's words, later
jobs reuse the same analysis instead of asking the model again, and the pull request shows the
tokens used."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from bot.model.analyst import ModelAnalyst, artifact_briefs
from bot.model.settings import ModelSettings
from tests.fakegithub.fixtures import OWNER, REPO
from tests.fakemodel import FakeModelServer
from tests.model.test_model_analyst import respond
from tests.workers.conftest import Bot
from tests.workers.test_voting_flow import decide_everything, start, state
from workers import runtime as runtime_module


@pytest.fixture
def model_bot(bot: Bot) -> Iterator[tuple[Bot, FakeModelServer]]:
    with FakeModelServer(answer=respond) as server:
        rt = runtime_module.runtime()
        settings = ModelSettings(PLANBOT_MODEL="fake-planner", PLANBOT_MODEL_BASE_URL=server.base_url)
        runtime_module.install(dataclasses.replace(rt, analyst=ModelAnalyst(settings)))
        yield bot, server
        runtime_module.install(rt)


def test_decision_comments_carry_the_models_words_and_later_jobs_reuse_them(
    model_bot: tuple[Bot, FakeModelServer],
) -> None:
    bot, server = model_bot
    number = start(bot)
    bodies = [c.body for c in bot.fake.comments(OWNER, REPO, number) if c.body.startswith("### TD")]
    assert bodies and all("Model context for" in body for body in bodies)
    decide_everything(bot, number)
    asked = len(state(bot, number).posted) + 1 + len(artifact_briefs())  # cards, notes, overviews: asked once
    assert len(server.requests) == asked  # later jobs read the analysis kept in Redis
    plan = state(bot, number)
    pull = bot.fake.pulls(OWNER, REPO)[0]
    assert plan.pull_number == pull.number and "Model use: fake-planner" in (pull.body or "")
