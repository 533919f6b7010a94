"""How the data model is derived: words and names, stores and their types, field types, relations,
state machines, per-entity policies, and the builder that puts them together.

`bot.planning.datamodel` holds the models and the public `build_data_model`."""
