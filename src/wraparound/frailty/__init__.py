"""Frailty scores and the statistics of cohorts: pure, typed, no Django (an import-linter
contract), so they are checked against hand-worked examples and run anywhere.

- ``efi``: the electronic frailty index (Clegg et al., Age Ageing 2016;45:353-60): 36
  deficits from coded primary-care records, polypharmacy as 5+ distinct medicines in 12
  months; fit, mild, moderate, severe.
- ``hfrs``: the Hospital Frailty Risk Score (Gilbert et al., Lancet 2018;391:1775-82): the
  weights of the distinct ICD-10 groups in 2 years of emergency admissions, for those 75+.
- ``rates``: rates per 1,000 with confidence intervals, small numbers suppressed, and the
  slope index of inequality.

The data files (``data/``) name their sources in ``data/SOURCES.md``. Both scores are risk
stratification tools, not diagnoses.
"""
