"""RQ job entry points: thin functions that load state, call the engine and the GitHub adapter."""
