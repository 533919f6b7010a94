"""What the prose artifacts say, derived from the plan: research, quickstart, performance,
security and testing content (technologies in force, external systems, compliance, threats,
targets, toolchains)."""
