"""The ``wraparound`` command: every management command, with hyphens allowed.

``wraparound demo``, ``wraparound audit verify``, ``wraparound plan-instance ...``
are ``manage.py demo`` and so on.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wraparound.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "wraparound"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
