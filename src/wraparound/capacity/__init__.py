"""Capacity around the clock: virtual wards and community beds whose census moves with
admissions and discharges, the falls response with a remote clinician's sign-off, urgent
response crews on shift against the crews demand needs, and the capacity board."""
