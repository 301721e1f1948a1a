"""The Python floor: a minimal breadth-first search over tuples for the benchmark family.

No engine, no pydantic, no ``transitions`` in the loop: a table of moves is compiled
once from the same lifecycle (``Lifecycle.table``, which the project itself derives from
the ``transitions`` Machine), and states are plain tuples in a set. It walks the same
space as ``negotiation explore`` on ``benchmarks.family.Family`` (the same node kinds:
decision, close of day, arrival at the next decision day; the same merging), so the
distinct-state counts agree; ``run.py`` checks that they do.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from benchmarks.family import Family

STANCE_MOVES = ("accepts", "rejects", "supports", "supports_with_conditions", "opposes",
                "undecided")


def compile_table() -> tuple[dict[str, tuple[tuple[str, str], ...]], frozenset[str],
                             frozenset[str]]:
    """(state -> ((trigger, dest), ...)) for guard-free moves, absorbing states, and the
    states ``withdraw`` leaves from, all read once from the default document lifecycle."""
    from negotiation.model.lifecycles import DEFAULT_DOCUMENT_LIFECYCLE
    from negotiation.runtime.lifecycles import Lifecycle

    lc = Lifecycle(DEFAULT_DOCUMENT_LIFECYCLE)
    moves: dict[str, list[tuple[str, str]]] = {s: [] for s in lc.spec.states}
    for (state, trigger), outcomes in lc.table.items():
        if trigger == "derive":  # needs a declared source document; the family has none
            continue
        dest = outcomes.get(())
        if dest is not None:
            moves[state].append((trigger, dest))
    withdraw_from = frozenset(s for (s, t) in lc.table if t == "withdraw")
    return {s: tuple(v) for s, v in moves.items()}, lc.absorbing, withdraw_from


def floor_bfs(fam: Family, max_states: int | None = None) -> dict[str, Any]:
    """Explore the family's space; return states, transitions and elapsed seconds."""
    table, absorbing, withdraw_from = compile_table()
    k, p, n = fam.k, fam.p, fam.n
    parties = tuple(fam.parties)
    due, last = fam.due_index, n - 1
    start = time.perf_counter()
    docs0 = ("under_negotiation",) * k
    seen0 = (("under_negotiation",),) * k  # states each document has visited (sorted)
    init = (0, -1, False, docs0, ("unknown",) * (k * p), ((),) * k, ((),) * k, "pending",
            seen0)
    seen = {init}
    queue = deque([init])
    transitions = 0
    terminal = 0
    limit = max_states or 1 << 62
    while queue:
        node = queue.popleft()
        c, day, closed, docs, stances, signed, ratified, deadline, vis = node
        children: list[tuple[Any, ...]] = []
        if c < n and day == c and not closed:
            # a free decision: every party's legal moves on every document, and a pass
            c1 = c + 1
            children.append((c1, day, False, docs, stances, signed, ratified, deadline, vis))
            for i in range(k):
                cur = docs[i]
                base = i * p
                for trigger, dest in table[cur]:
                    # one candidate move per acting party, as the explorer generates them
                    nd = docs[:i] + (dest,) + docs[i + 1:]
                    nv = vis if dest in vis[i] else (
                        vis[:i] + (tuple(sorted((*vis[i], dest))),) + vis[i + 1:])
                    dl = "met" if deadline == "pending" and nd[0] == "signed" else deadline
                    if trigger == "sign":
                        if any(stances[base + q] != "accepts" for q in range(p)):
                            continue
                        for who in parties:
                            had = signed[i]
                            got = had if who in had else (*had, who)
                            ns = signed[:i] + (got,) + signed[i + 1:]
                            children.append((c1, day, False, nd, stances, ns, ratified, dl, nv))
                    elif trigger == "ratify":
                        for who in parties:
                            had = ratified[i]
                            got = had if who in had else (*had, who)
                            nr = ratified[:i] + (got,) + ratified[i + 1:]
                            children.append((c1, day, False, nd, stances, signed, nr, dl, nv))
                    else:
                        child = (c1, day, False, nd, stances, signed, ratified, dl, nv)
                        children.extend([child] * p)
                if cur in absorbing:
                    continue
                for q in range(p):
                    idx = base + q
                    now = stances[idx]
                    for s in STANCE_MOVES:
                        if s != now:
                            st = stances[:idx] + (s,) + stances[idx + 1:]
                            children.append((c1, day, False, docs, st, signed, ratified,
                                             deadline, vis))
        else:
            goal = c if c < n else last
            if closed and day < goal:
                children.append((c, goal, False, docs, stances, signed, ratified, deadline, vis))
            elif not closed:
                if day == due and deadline == "pending":
                    deadline = "expired"
                    if docs[0] in withdraw_from:
                        docs = ("withdrawn", *docs[1:])
                        if "withdrawn" not in vis[0]:
                            vis = (tuple(sorted((*vis[0], "withdrawn"))), *vis[1:])
                children.append((c, day, True, docs, stances, signed, ratified, deadline, vis))
            else:
                terminal += 1
        for child in children:
            transitions += 1
            if child not in seen:
                seen.add(child)
                queue.append(child)
        if len(seen) >= limit:
            break
    elapsed = time.perf_counter() - start
    return {"states": len(seen), "transitions": transitions, "terminal": terminal,
            "elapsed": elapsed, "states_per_s": len(seen) / elapsed if elapsed else 0.0}
