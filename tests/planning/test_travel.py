"""Travel-time models agree with the benchmark's conventions."""

from __future__ import annotations

import pytest

from wraparound.planning import EuclideanTravel, GreatCircleTravel, MatrixTravel


def test_euclidean_legs_truncate_to_a_tenth_as_dimacs_does() -> None:
    m = EuclideanTravel(decimals=1, truncate=True).matrix([(0, 0), (1, 1)])
    assert m[0][1] == 1.4 and m[1][0] == 1.4 and m[0][0] == 0.0


def test_great_circle_is_distance_times_circuity_at_speed() -> None:
    # One degree of latitude is about 111.2 km; at 60 km/h with no detour that is ~111 minutes.
    m = GreatCircleTravel(speed_kmh=60, circuity=1.0).matrix([(52.0, -1.0), (53.0, -1.0)])
    assert m[0][1] == pytest.approx(111.2, abs=0.1)


def test_matrix_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ValueError, match="2 by 2"):
        MatrixTravel(((0.0, 1.0),)).matrix([(0, 0), (1, 1)])
