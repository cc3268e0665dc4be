"""Every change of state in population: residents' frailty scores computed from their
records (in batches, by the system), and the small areas and their deprivation loaded from
the English Indices of Deprivation, and cohorts saved. Atomic, audited, permission-checked, with a typed actor.
"""

from .cohorts import save_cohort
from .deprivation import AreaReport, load_deprivation
from .scores import score_residents

__all__ = ["AreaReport", "load_deprivation", "save_cohort", "score_residents"]
