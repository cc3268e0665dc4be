"""Travel-time models: how many minutes it takes to get from one place to another."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

EARTH_RADIUS_KM = 6371.0088


class TravelTimeModel(Protocol):
    """Minutes from one place (an index into the problem's places) to another."""

    def matrix(self, places: Sequence[tuple[float, float]]) -> list[list[float]]:
        """The full travel-time matrix over ``places``, in minutes."""
        ...


def _symmetric(n: int, leg: Callable[[int, int], float]) -> list[list[float]]:
    # Scalar math (not numpy) so that each leg is bit-for-bit what an independent
    # checker computes; a last-ulp difference can flip a rounded leg by 0.1 minute.
    out = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            out[i][j] = out[j][i] = leg(i, j)
    return out


def round_minutes(minutes: float, decimals: int | None, truncate: bool) -> float:
    """Round one leg as the benchmark conventions do (DIMACS truncates Solomon to 0.1)."""
    if decimals is None:
        return minutes
    scale = float(10**decimals)
    if truncate:
        return math.floor(minutes * scale + 1e-9) / scale
    return math.floor(minutes * scale + 0.5) / scale


@dataclass(frozen=True)
class GreatCircleTravel:
    """Great-circle distance times circuity at a speed: the default for real places (lat, lon)."""

    speed_kmh: float = 30.0
    circuity: float = 1.35
    decimals: int | None = None
    truncate: bool = False

    def matrix(self, places: Sequence[tuple[float, float]]) -> list[list[float]]:
        rad = [(math.radians(lat), math.radians(lon)) for lat, lon in places]

        def leg(i: int, j: int) -> float:
            (p1, l1), (p2, l2) = rad[i], rad[j]
            h = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
            )
            km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
            return round_minutes(
                km * self.circuity / self.speed_kmh * 60.0, self.decimals, self.truncate
            )

        return _symmetric(len(places), leg)


@dataclass(frozen=True)
class EuclideanTravel:
    """Straight-line distance on a plane at a speed (the Solomon convention)."""

    speed: float = 1.0
    decimals: int | None = None
    truncate: bool = False

    def matrix(self, places: Sequence[tuple[float, float]]) -> list[list[float]]:
        def leg(i: int, j: int) -> float:
            (x1, y1), (x2, y2) = places[i], places[j]
            return round_minutes(
                math.hypot(x1 - x2, y1 - y2) / self.speed, self.decimals, self.truncate
            )

        return _symmetric(len(places), leg)


@dataclass(frozen=True)
class MatrixTravel:
    """A given matrix of minutes, for example from a road-network service."""

    minutes: tuple[tuple[float, ...], ...]

    def matrix(self, places: Sequence[tuple[float, float]]) -> list[list[float]]:
        n = len(places)
        if len(self.minutes) != n or any(len(row) != n for row in self.minutes):
            raise ValueError(f"travel matrix must be {n} by {n}, one row and column per place")
        return [
            [0.0 if i == j else float(x) for j, x in enumerate(row)]
            for i, row in enumerate(self.minutes)
        ]
