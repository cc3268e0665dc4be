"""The planner's explanations in the team leader's words.

The planning library speaks in its own ids (staff "s13", visit "1173", skill codes); the
page must not. This turns each explanation into names: the member of staff, the person and
task of a visit, and a skill's name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass

_STAFF = re.compile(r"\bs(\d+)\b")
_LIST = re.compile(r"\[(?:'[^']*'(?:, )?)*\]")
_AFTER_VISIT = re.compile(r"\b(after|to) (\d+)\b")


@dataclass(frozen=True)
class Names:
    staff: Mapping[str, str]  # planning staff id ("s13") -> name
    visits: Mapping[str, str]  # planning visit id ("1173") -> "Edna Jones: insulin"
    skills: Mapping[str, str]  # skill code -> name

    def skill(self, code: str) -> str:
        return self.skills.get(code, code.replace("_", " "))

    def visit(self, vid: str) -> str:
        return self.visits.get(vid, "a visit")


def in_words(text: str, names: Names) -> str:
    """``text`` with every planning id replaced by what a person calls it."""

    def skill_list(match: re.Match[str]) -> str:
        codes = ast.literal_eval(match.group(0))
        words = [names.skill(c) for c in codes]
        return " and ".join(words) if words else "no particular skill"

    text = _LIST.sub(skill_list, text)
    text = _AFTER_VISIT.sub(
        lambda m: (
            f"{m.group(1)} {names.visit(m.group(2))}" if m.group(2) in names.visits else m.group(0)
        ),
        text,
    )
    return _STAFF.sub(lambda m: names.staff.get(m.group(0), m.group(0)), text)
