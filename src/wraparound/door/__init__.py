"""The door to a person's record: who may see whom, and how much (``policy``), breaking the
glass and recording consent (``actions``), and the privacy officer's pages (``views``).

It sits above the record apps' models, which it reads to decide, and below the apps that
combine them. What every app may use to check a permission or write an audit event without
reading a record is in ``wraparound.access`` (roles, permissions, the audit writer).
"""
