"""Putting jobs back: single visits, double-handed pairs and linked chains, each at its
cheapest place or left out when that costs more than its penalty."""

from __future__ import annotations

import numpy as np
from numba import njit

from wraparound.planning.kernel.arrays import PAIR, SINGLE, Array, Jobs, Static, Timing
from wraparound.planning.kernel.insertion import cheapest_near, insertion
from wraparound.planning.kernel.timing import time_row
from wraparound.planning.rules import TOLERANCE
from wraparound.planning.schedule import NO_BOUND


@njit(cache=True)
def put(
    s: Static,
    tm: Timing,
    bound: Array,
    floor: Array,
    has_floor: bool,
    k: int,
    pos: int,
    t: int,
    t_bound: float,
) -> None:
    """Put ``t`` at ``pos`` of route ``k`` with its sync bound, and re-time the route."""
    n = tm.length[k]
    for i in range(n, pos, -1):
        tm.seq[k, i] = tm.seq[k, i - 1]
    tm.seq[k, pos] = t
    tm.length[k] = n + 1
    bound[t] = t_bound if not has_floor else max(t_bound, floor[t])
    time_row(s, tm, k, bound)


@njit(cache=True)
def take_out(s: Static, tm: Timing, bound: Array, k: int, t: int) -> None:
    n = tm.length[k]
    i = 0
    while tm.seq[k, i] != t:
        i += 1
    for m in range(i, n - 1):
        tm.seq[k, m] = tm.seq[k, m + 1]
    tm.length[k] = n - 1
    time_row(s, tm, k, bound)


@njit(cache=True)
def _best_pair(
    s: Static,
    tm: Timing,
    bound: Array,
    jb: Jobs,
    fixed: Array,
    near: Array,
    li: int,
    max_late: float,
    keep: int,
) -> tuple[float, int, int, float, int, int, float]:
    """Both sides of a link placed jointly: (cost, k_a, pos_a, start_a, k_b, pos_b, start_b)."""
    a = s.link_first[li]
    b = s.link_second[li]
    low = s.link_low[li]
    high = s.link_high[li]
    apart = s.link_apart[li] == 1
    no_ban = np.zeros(tm.length.shape[0], dtype=np.bool_)
    ca = np.empty(keep)
    ka = np.empty(keep, dtype=np.int64)
    pa = np.empty(keep, dtype=np.int64)
    sa_ = np.empty(keep)
    cb = np.empty(keep)
    kb = np.empty(keep, dtype=np.int64)
    pb = np.empty(keep, dtype=np.int64)
    sb_ = np.empty(keep)
    allowed_a = jb.allowed[jb.allowed_ptr[a] : jb.allowed_ptr[a + 1]]
    allowed_b = jb.allowed[jb.allowed_ptr[b] : jb.allowed_ptr[b + 1]]
    na = cheapest_near(
        s, tm, bound, allowed_a, no_ban, fixed, near, a, NO_BOUND, max_late, keep, ca, ka, pa, sa_
    )
    nb = cheapest_near(
        s, tm, bound, allowed_b, no_ban, fixed, near, b, NO_BOUND, max_late, keep, cb, kb, pb, sb_
    )
    best = np.inf
    out = (np.inf, -1, -1, 0.0, -1, -1, 0.0)
    for i in range(na):
        for j in range(nb):
            if apart and ka[i] == kb[j]:
                continue
            sa = max(sa_[i], sb_[j] - high)
            sb = max(sb_[j], sa + low)
            sa = max(sa, sb - high)
            # Price each side when it may not start before its joint start.
            if sa <= sa_[i] + 1e-9:
                ok_a, cost_a, got_a = True, ca[i], sa_[i]
            else:
                ok_a, cost_a, got_a = insertion(s, tm, bound, ka[i], pa[i], a, sa, max_late)
            if not ok_a:
                continue
            if sb <= sb_[j] + 1e-9:
                ok_b, cost_b, got_b = True, cb[j], sb_[j]
            else:
                ok_b, cost_b, got_b = insertion(s, tm, bound, kb[j], pb[j], b, sb, max_late)
            if not ok_b:
                continue
            gap = got_b - got_a
            if gap < low - TOLERANCE or gap > high + TOLERANCE:
                continue
            total = cost_a + cost_b
            if total < best:
                best = total
                out = (total, ka[i], pa[i], got_a, kb[j], pb[j], got_b)
    return out


@njit(cache=True)
def _insert_chain(
    s: Static,
    tm: Timing,
    bound: Array,
    floor: Array,
    has_floor: bool,
    jb: Jobs,
    fixed: Array,
    near: Array,
    j: int,
    max_late: float,
) -> bool:
    # Rare shapes (a visit in several gaps): place one task at a time, each
    # bounded by the ones already placed; undo all if one cannot be placed.
    nk = tm.length.shape[0]
    first = jb.ptr[j]
    last = jb.ptr[j + 1]
    placed_k = np.full(last - first, -1, dtype=np.int64)
    placed_start = np.zeros(last - first)
    c = np.empty(1)
    kk = np.empty(1, dtype=np.int64)
    pp = np.empty(1, dtype=np.int64)
    ss = np.empty(1)
    for m in range(first, last):
        t = jb.tasks[m]
        t_bound = NO_BOUND
        banned = np.zeros(nk, dtype=np.bool_)
        for x in range(jb.links_ptr[t], jb.links_ptr[t + 1]):
            li = jb.links[x]
            other = s.link_first[li] if s.link_second[li] == t else s.link_second[li]
            at = -1
            for q in range(first, m):
                if jb.tasks[q] == other:
                    at = q - first
            if at < 0:
                continue
            banned[placed_k[at]] = True
            s_other = placed_start[at]
            need = s_other + s.link_low[li] if s.link_second[li] == t else s_other - s.link_high[li]
            if need > t_bound:
                t_bound = need
        allowed_t = jb.allowed[jb.allowed_ptr[t] : jb.allowed_ptr[t + 1]]
        found = cheapest_near(
            s, tm, bound, allowed_t, banned, fixed, near, t, t_bound, max_late, 1, c, kk, pp, ss
        )
        if found == 0:
            for q in range(first, m):
                take_out(s, tm, bound, placed_k[q - first], jb.tasks[q])
            return False
        placed_k[m - first] = kk[0]
        placed_start[m - first] = ss[0]
        put(s, tm, bound, floor, has_floor, kk[0], pp[0], t, t_bound)
    return True


@njit(cache=True)
def repair(
    s: Static,
    tm: Timing,
    bound: Array,
    floor: Array,
    has_floor: bool,
    jb: Jobs,
    fixed: Array,
    near: Array,
    order: Array,
    max_late: float,
    pair_candidates: int,
    left: Array,
) -> int:
    """Put the jobs of ``order`` back, each at its cheapest place, in that order.

    A job is left out when no place is possible or its cheapest place costs
    more than leaving it (its penalty); those are written to ``left``, and
    their number returned.
    """
    nk = tm.length.shape[0]
    no_ban = np.zeros(nk, dtype=np.bool_)
    c = np.empty(1)
    kk = np.empty(1, dtype=np.int64)
    pp = np.empty(1, dtype=np.int64)
    ss = np.empty(1)
    n_left = 0
    for x in range(order.shape[0]):
        j = order[x]
        worth = jb.penalty[j]
        done = False
        if jb.kind[j] == SINGLE:
            t = jb.tasks[jb.ptr[j]]
            allowed_t = jb.allowed[jb.allowed_ptr[t] : jb.allowed_ptr[t + 1]]
            found = cheapest_near(
                s,
                tm,
                bound,
                allowed_t,
                no_ban,
                fixed,
                near,
                t,
                NO_BOUND,
                max_late,
                1,
                c,
                kk,
                pp,
                ss,
            )
            if found > 0 and c[0] < worth:
                put(s, tm, bound, floor, has_floor, kk[0], pp[0], t, NO_BOUND)
                done = True
        elif jb.kind[j] == PAIR:
            li = jb.link[j]
            cost, ka, pa, sa, kb, pb, sb = _best_pair(
                s, tm, bound, jb, fixed, near, li, max_late, pair_candidates
            )
            if ka >= 0 and cost < worth:
                put(s, tm, bound, floor, has_floor, ka, pa, s.link_first[li], sa)
                put(s, tm, bound, floor, has_floor, kb, pb, s.link_second[li], sb)
                done = True
        else:
            done = _insert_chain(s, tm, bound, floor, has_floor, jb, fixed, near, j, max_late)
        if not done:
            left[n_left] = j
            n_left += 1
    return n_left
