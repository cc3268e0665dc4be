"""Choosing what to take out: what removing each job would save, and how related each job
is to a seed (for the worst and the related removal operators)."""

from __future__ import annotations

import numpy as np
from numba import njit

from wraparound.planning.kernel.arrays import Array, Jobs, Static, Timing


@njit(cache=True)
def worst_savings(
    s: Static, tm: Timing, route_of: Array, index_of: Array, jb: Jobs, movable: Array
) -> Array:
    """What taking each movable job out would save, roughly: detour, lateness, continuity."""
    w = s.weights
    out = np.zeros(movable.shape[0])
    for x in range(movable.shape[0]):
        j = movable[x]
        total = 0.0
        for m in range(jb.ptr[j], jb.ptr[j + 1]):
            t = jb.tasks[m]
            k = route_of[t]
            i = index_of[t]
            n = tm.length[k]
            prev = s.place[tm.seq[k, i - 1]] if i > 0 else s.start_place[k]
            nxt = s.place[tm.seq[k, i + 1]] if i + 1 < n else s.end_place[k]
            here = s.place[t]
            detour = s.travel[prev, here] + s.travel[here, nxt] - s.travel[prev, nxt]
            late = tm.starts[k, i] - s.latest[t]
            total += w[0] * detour + w[1] * (late if late > 0.0 else 0.0) + s.cont[t, k]
        out[x] = total
    return out


@njit(cache=True)
def relatedness(
    s: Static, tm: Timing, route_of: Array, index_of: Array, first: Array, seed: int, movable: Array
) -> Array:
    """How far each movable job is from the seed job: travel, plus a fifth of the time apart."""
    st = first[seed]
    s_start = tm.starts[route_of[st], index_of[st]]
    out = np.empty(movable.shape[0])
    for x in range(movable.shape[0]):
        t = first[movable[x]]
        apart = tm.starts[route_of[t], index_of[t]] - s_start
        out[x] = s.travel[s.place[st], s.place[t]] + 0.2 * (apart if apart > 0.0 else -apart)
    return out
