"""The transitive reduction of the phase graph: the bitset walk over a graph without cycles keeps
exactly the edges a search from every other child would keep."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.planning.tasking.values import _reduction_by_search, _transitive_reduction, direct_prerequisites


@st.composite
def acyclic(draw: st.DrawFn) -> dict[str, list[str]]:
    size = draw(st.integers(1, 9))
    nodes = [f"n{i}" for i in range(size)]
    edges: dict[str, list[str]] = {}
    for i, node in enumerate(nodes):
        later = nodes[i + 1:]
        if later and draw(st.booleans()):
            edges[node] = draw(st.lists(st.sampled_from(later), max_size=4))
    return edges


@settings(max_examples=300, deadline=None)
@given(acyclic())
def test_reduction_matches_the_search(edges: dict[str, list[str]]) -> None:
    assert _transitive_reduction(edges) == _reduction_by_search(edges)


def test_reduction_drops_implied_edges_and_survives_cycles() -> None:
    assert _transitive_reduction({"a": ["b", "c"], "b": ["c"]}) == {"a": ["b"], "b": ["c"]}
    cyclic = {"a": ["b"], "b": ["a", "c"], "c": []}
    assert _transitive_reduction(cyclic) == _reduction_by_search(cyclic)


def test_direct_prerequisites_leave_out_implied_ones() -> None:
    needs = {"setup": [], "foundational": ["setup"], "us1": ["foundational", "setup"], "us2": ["us1", "foundational"]}
    assert direct_prerequisites(needs) == {"setup": [], "foundational": ["setup"], "us1": ["foundational"], "us2": ["us1"]}
