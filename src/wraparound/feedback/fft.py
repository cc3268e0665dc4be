"""The Friends and Family Test's arithmetic: the monthly return, its percentages with Wilson
intervals, small-number suppression, and a rule-based theme coder (its p-chart of % positive
is ``metrics.pchart``).

Pure and typed (no Django). The question and the six answers are NHS England's, word for
word (FFT guidance, 2020): the answers are counted as they are given, and "Don't know" is
in the denominator of both percentages, as the national return counts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import binomtest

QUESTION = "Overall, how was your experience of our service?"
FOLLOW_UP = "Please can you tell us why you gave your answer?"
# Counts of 1 to 4 could point to a person in a small team's month: shown as "fewer than 5".
SUPPRESS_BELOW = 5


class Answer(StrEnum):
    VERY_GOOD = "very_good"
    GOOD = "good"
    NEITHER = "neither"
    POOR = "poor"
    VERY_POOR = "very_poor"
    DONT_KNOW = "dont_know"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Answer.VERY_GOOD: "Very good",
    Answer.GOOD: "Good",
    Answer.NEITHER: "Neither good nor poor",
    Answer.POOR: "Poor",
    Answer.VERY_POOR: "Very poor",
    Answer.DONT_KNOW: "Don't know",
}
POSITIVE = frozenset({Answer.VERY_GOOD, Answer.GOOD})
NEGATIVE = frozenset({Answer.POOR, Answer.VERY_POOR})


@dataclass(frozen=True)
class Share:
    """A percentage with its 95% Wilson interval; None where suppressed or nothing to count."""

    count: int
    total: int
    percent: float | None
    low: float | None
    high: float | None


def share(count: int, total: int) -> Share:
    if total < SUPPRESS_BELOW:
        return Share(count, total, None, None, None)
    interval = binomtest(count, total).proportion_ci(confidence_level=0.95, method="wilson")
    return Share(count, total, 100 * count / total, 100 * interval.low, 100 * interval.high)


@dataclass(frozen=True)
class MonthlyReturn:
    counts: Mapping[Answer, int]
    total: int
    positive: Share
    negative: Share

    def shown(self, answer: Answer) -> str:
        """A count as published: suppressed between 1 and 4."""
        count = self.counts.get(answer, 0)
        return "fewer than 5" if 0 < count < SUPPRESS_BELOW else f"{count:,}"


def monthly_return(answers: Iterable[Answer]) -> MonthlyReturn:
    counts = {a: 0 for a in Answer}
    for answer in answers:
        counts[Answer(answer)] += 1
    total = sum(counts.values())
    return MonthlyReturn(
        counts,
        total,
        share(sum(counts[a] for a in POSITIVE), total),
        share(sum(counts[a] for a in NEGATIVE), total),
    )


# The themes, each a list of words and phrases that code a comment to it. Shown on the page
# as they are here, so a team can see why a comment was coded as it was.
SAFETY = "Possible safety concern"
THEMES: dict[str, tuple[str, ...]] = {
    # First, and shown first: a comment that may tell of harm is read and acted on (hazard H13).
    SAFETY: (
        "wrong medic", "wrong dose", "wrong tablet", "fell", "a fall", "hurt", "injur", "abuse",
        "unsafe", "neglect", "bruis", "pressure sore", "harm", "left me alone", "mistake",
    ),
    "Staff attitude and kindness": (
        "kind", "caring", "friendly", "polite", "rude", "lovely", "patient with", "respect",
        "compassion", "listened", "attitude",
    ),
    "Communication and information": (
        "explain", "explained", "told", "inform", "information", "communicat", "understand",
        "letter", "phone call", "called back", "didn't know", "did not know",
    ),
    "Timeliness and waiting": (
        "late", "on time", "wait", "waited", "waiting", "quick", "prompt", "delay", "slow",
        "early", "rushed", "hours",
    ),
    "Continuity of carer": (
        "same nurse", "same carer", "same person", "different nurse", "different people",
        "new face", "every time someone", "continuity",
    ),
    "Clinical care and skill": (
        "wound", "dressing", "medication", "treatment", "pain", "professional", "skilled",
        "knowledge", "care was", "injection", "catheter",
    ),
    "Involvement and independence": (
        "involved", "choice", "my own", "independent", "independence", "decide", "asked me",
        "my wishes",
    ),
}  # fmt: skip
_PATTERNS = {
    theme: re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)
    for theme, words in THEMES.items()
}
OTHER = "Other"


def themes_of(text: str) -> list[str]:
    """The themes a comment touches, in the order listed; "Other" when it has words but no
    theme, none when it is empty."""
    if not text.strip():
        return []
    found = [theme for theme, pattern in _PATTERNS.items() if pattern.search(text)]
    return found or [OTHER]
