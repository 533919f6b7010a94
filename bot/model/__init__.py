"""The model backend: a language model, reached through pydantic-ai, that rewrites the offline
analysis' prose. An adapter at the edge: `bot.planning` only sees the `Analyst` port."""
