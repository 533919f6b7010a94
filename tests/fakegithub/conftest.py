from tests.fakegithub.fixtures import app_key, fake_github, fake_github_server, gh

__all__ = ["app_key", "fake_github", "fake_github_server", "gh"]
