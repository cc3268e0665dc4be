"""Synthetic residents of a fictional place: ages, sexes, homes and conditions.

Pure Python and deterministic for a ``random.Random``: the same seed gives the
same people in the same order. Age structure follows England's 2021 census;
condition prevalence follows QOF registers (England, 2022-23), by age band.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from wraparound.nhs_number import synthetic as synthetic_nhs_number

# England 2021 census, % of residents by 5-year band (ONS), last band 90-99.
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (0, 4, 5.4),
    (5, 9, 5.9),
    (10, 14, 6.0),
    (15, 19, 5.7),
    (20, 24, 6.0),
    (25, 29, 6.6),
    (30, 34, 6.9),
    (35, 39, 6.6),
    (40, 44, 6.3),
    (45, 49, 6.3),
    (50, 54, 6.9),
    (55, 59, 6.8),
    (60, 64, 5.9),
    (65, 69, 5.1),
    (70, 74, 5.1),
    (75, 79, 3.7),
    (80, 84, 2.5),
    (85, 89, 1.5),
    (90, 99, 0.8),
)

# Prevalence by age group: <18, 18-44, 45-64, 65-74, 75-84, 85+ (fractions).
# Tuned so that whole-population prevalence lands near the QOF figures quoted.
CONDITIONS: tuple[tuple[str, str, tuple[float, ...]], ...] = (
    ("59621000", "Essential hypertension", (0.0, 0.03, 0.17, 0.40, 0.52, 0.58)),  # QOF ~14%
    ("44054006", "Type 2 diabetes mellitus", (0.0, 0.025, 0.09, 0.17, 0.20, 0.17)),  # ~7.5%
    ("195967001", "Asthma", (0.05, 0.065, 0.065, 0.07, 0.07, 0.06)),  # ~6.5%
    (
        "13645005",
        "Chronic obstructive pulmonary disease",
        (0.0, 0.002, 0.02, 0.05, 0.07, 0.06),
    ),  # ~1.9%
    ("414545008", "Ischaemic heart disease", (0.0, 0.002, 0.03, 0.09, 0.14, 0.18)),  # ~3%
    ("84114007", "Heart failure", (0.0, 0.0005, 0.006, 0.025, 0.05, 0.09)),  # ~1%
    ("49436004", "Atrial fibrillation", (0.0, 0.001, 0.012, 0.06, 0.12, 0.18)),  # ~2.1%
    (
        "709044004",
        "Chronic kidney disease stage 3 to 5",
        (0.0, 0.002, 0.03, 0.10, 0.20, 0.32),
    ),  # ~4%
    ("52448006", "Dementia", (0.0, 0.0, 0.001, 0.012, 0.045, 0.15)),  # ~0.7%
    ("230690007", "Stroke", (0.0, 0.001, 0.012, 0.04, 0.07, 0.10)),  # ~1.8%
    ("35489007", "Depressive disorder", (0.01, 0.15, 0.15, 0.12, 0.10, 0.09)),  # ~13% of adults
)
SNOMED = "http://snomed.info/sct"


def age_group(age: int) -> int:
    if age < 18:
        return 0
    if age < 45:
        return 1
    if age < 65:
        return 2
    if age < 75:
        return 3
    if age < 85:
        return 4
    return 5


# Wrexford's centre (latitude, longitude): the areas and the services are placed around it.
TOWN_CENTRE = (52.4862, -2.0810)


@dataclass(frozen=True)
class Area:
    """A neighbourhood's settlement pattern: where its people live and how deprived it is."""

    code: str
    share: float  # of the place's residents
    centre: tuple[float, float]
    spread_km: float
    deprivation_range: tuple[int, int]
    settlements: tuple[str, ...]
    older_bias: float = 0.0  # rural edges skew older


@dataclass
class Resident:
    nhs_number: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: dt.date
    area_code: str
    settlement: str
    address: str
    postcode: str
    latitude: float
    longitude: float
    deprivation_decile: int
    conditions: list[tuple[str, str, str]] = field(default_factory=list)  # (system, code, display)

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


FEMALE_NAMES = (
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Grace",
    "Freya",
    "Lily",
    "Sophia",
    "Emily",
    "Margaret",
    "Joan",
    "Dorothy",
    "Patricia",
    "Jean",
    "Barbara",
    "Susan",
    "Sandra",
    "Linda",
    "Helen",
    "Sarah",
    "Claire",
    "Priya",
    "Aisha",
    "Fatima",
    "Zofia",
    "Gwen",
    "Edna",
    "Irene",
    "Ruth",
)
MALE_NAMES = (
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Leo",
    "Harry",
    "Oscar",
    "Muhammad",
    "Jack",
    "Charlie",
    "John",
    "David",
    "Michael",
    "Peter",
    "Robert",
    "Brian",
    "Kenneth",
    "Alan",
    "Raymond",
    "Derek",
    "Paul",
    "Mark",
    "Rajesh",
    "Tomasz",
    "Samuel",
    "Gareth",
    "Stanley",
    "Frank",
    "Ernest",
    "Colin",
)
FAMILY_NAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Hughes",
    "Edwards",
    "Turner",
    "Hill",
    "Moore",
    "Cooper",
    "Ward",
    "Morris",
    "Begum",
    "Kowalski",
    "Lewis",
    "Harris",
    "Baker",
    "Price",
    "Bennett",
    "Shaw",
)
STREETS = (
    "High Street",
    "Church Lane",
    "Station Road",
    "Mill Lane",
    "Park Avenue",
    "Victoria Road",
    "Chapel Street",
    "Queen Street",
    "Orchard Close",
    "Meadow Way",
    "Brook Street",
    "The Green",
    "School Lane",
    "Canal Side",
    "Foundry Row",
    "Albert Terrace",
    "Elm Grove",
    "Willow Drive",
)

KM_PER_DEGREE_LAT = 111.2


def _offset(centre: tuple[float, float], north_km: float, east_km: float) -> tuple[float, float]:
    lat, lon = centre
    return (
        round(lat + north_km / KM_PER_DEGREE_LAT, 6),
        round(lon + east_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat))), 6),
    )


def _draw_age(rng: random.Random, older_bias: float) -> int:
    weights = [w * (1 + older_bias * (lo >= 60)) for lo, _hi, w in AGE_BANDS]
    lo, hi, _ = rng.choices(AGE_BANDS, weights=weights)[0]
    return rng.randint(lo, hi)


def _draw_conditions(rng: random.Random, age: int) -> list[tuple[str, str, str]]:
    group = age_group(age)
    return [
        (SNOMED, code, display)
        for code, display, by_age in CONDITIONS
        if rng.random() < by_age[group]
    ]


def residents(
    rng: random.Random, areas: tuple[Area, ...], count: int, today: dt.date
) -> list[Resident]:
    """``count`` residents spread over ``areas`` by their shares, deterministically."""
    people: list[Resident] = []
    issued: set[str] = set()
    for area in areas:
        for _ in range(round(count * area.share)):
            number = synthetic_nhs_number(rng)
            while number in issued:
                number = synthetic_nhs_number(rng)
            issued.add(number)
            sex = "female" if rng.random() < 0.507 else "male"
            age = _draw_age(rng, area.older_bias)
            born = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            settlement_index = rng.randrange(len(area.settlements))
            settlement = area.settlements[settlement_index]
            # Several small villages in a rural area; one dense cluster in a town area.
            angle = (
                (2 * math.pi * settlement_index / len(area.settlements))
                if len(area.settlements) > 1
                else 0.0
            )
            hub = (
                _offset(
                    area.centre, area.spread_km * math.sin(angle), area.spread_km * math.cos(angle)
                )
                if len(area.settlements) > 1
                else area.centre
            )
            spread = area.spread_km / (3 if len(area.settlements) > 1 else 1)
            lat, lon = _offset(hub, rng.gauss(0, spread), rng.gauss(0, spread))
            lo, hi = area.deprivation_range
            given = rng.choice(FEMALE_NAMES if sex == "female" else MALE_NAMES)
            people.append(
                Resident(
                    nhs_number=number,
                    given_name=given,
                    family_name=rng.choice(FAMILY_NAMES),
                    sex=sex,
                    date_of_birth=born,
                    area_code=area.code,
                    settlement=settlement,
                    address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}, {settlement}",
                    postcode=f"WX{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                    latitude=lat,
                    longitude=lon,
                    deprivation_decile=rng.randint(lo, hi),
                    conditions=_draw_conditions(rng, age),
                )
            )
    return people
