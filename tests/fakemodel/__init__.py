"""A fake OpenAI-compatible chat-completions server for the model backend's tests."""

from tests.fakemodel.server import FakeModelServer

__all__ = ["FakeModelServer"]
