"""Building tasks.md: drafts, the Setup and Foundational phases, story phases, Polish, and the
values the tasks and dependencies templates lay out."""
