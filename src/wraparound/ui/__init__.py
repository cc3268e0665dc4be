"""What every app's screens may use: the NHS.UK-styled form base, the read-only admin base,
and the session helpers that keep a form's text across a sign-in.

It sits at the bottom of the layers (it imports no Wraparound app), so the record apps can
use it without importing ``web``, which sits at the top and imports them.
"""
