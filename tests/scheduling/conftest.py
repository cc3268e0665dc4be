import pytest

from tests.factories.team_day import make_team_day


@pytest.fixture
def team_day(place):
    return make_team_day(place)
