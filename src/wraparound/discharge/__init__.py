"""Discharge flow: the hospital's list of people in a bed, whether each still meets the
criteria to reside, the discharge-to-assess pathway and the delay while they wait, and the
daily discharge situation report counted as NHS England counts it."""
