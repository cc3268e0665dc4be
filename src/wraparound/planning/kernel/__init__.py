"""The search's inner loops, compiled with numba: route timing, insertion pricing, sync.

One concern a module:

- ``arrays``: the day, the routes and the jobs as flat numpy arrays (not compiled);
- ``timing``: timing a route and meeting sync gaps, with ``planning/rules.py``'s rules
  compiled unchanged, so each rule is written once for this and for ``schedule.py``;
- ``insertion``: what putting a task at a position costs, and the cheapest position;
- ``repair``: putting jobs back (singles, double-handed pairs, chains);
- ``removal``: what taking a job out would save, and how related two jobs are.

``schedule.py`` stays the reference: the plan handed back is re-timed there, and a test
holds the two to the same costs on every benchmark family. Nothing here knows about Django
or the app.

Why numba and not numpy: the loops are short and branchy (a break taken on the way, the
walk stopping as soon as the old timing is met again), so they do not vectorise; compiled,
they run about a hundred times faster than in CPython. ``cache=True`` keeps the machine code
beside these files, so the compilation (some seconds) is paid once per install, not once
per plan.
"""

from wraparound.planning.kernel.arrays import (
    CHAIN,
    MANDATORY,
    PAIR,
    SINGLE,
    Array,
    Jobs,
    Static,
    Timing,
    copy_timing,
    fresh_bound,
    jobs_of,
    neighbours,
    new_timing,
    static_of,
)
from wraparound.planning.kernel.insertion import cheapest, cheapest_near, insertion
from wraparound.planning.kernel.removal import relatedness, worst_savings
from wraparound.planning.kernel.repair import put, repair, take_out
from wraparound.planning.kernel.timing import evaluate_all, time_leg, time_row, time_rows

__all__ = [
    "CHAIN",
    "MANDATORY",
    "PAIR",
    "SINGLE",
    "Array",
    "Jobs",
    "Static",
    "Timing",
    "cheapest",
    "cheapest_near",
    "copy_timing",
    "evaluate_all",
    "fresh_bound",
    "insertion",
    "jobs_of",
    "neighbours",
    "new_timing",
    "put",
    "relatedness",
    "repair",
    "static_of",
    "take_out",
    "time_leg",
    "time_row",
    "time_rows",
    "worst_savings",
]
