"""How the interface contracts are derived: which interfaces a feature has, its REST operations,
its events, and the GraphQL, protobuf, command-line and library contracts.

`bot.planning.contracts` holds the models and the public `build_contracts`."""
