"""Metrics: the pure statistical core (SPC, funnel plots) and its SVG charts; no database."""
