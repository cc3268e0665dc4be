import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import PatientFactory
from wraparound import nhs_number
from wraparound.caseload.models import Patient, validate_nhs_number


def test_a_valid_number_is_accepted():
    assert nhs_number.validate("9434765919") == "9434765919"


def test_a_wrong_check_digit_is_refused_saying_what_it_should_be():
    with pytest.raises(nhs_number.InvalidNHSNumber, match="check digit is 8 but should be 9"):
        nhs_number.validate("9434765918")


def test_a_number_whose_check_digit_works_out_as_10_is_refused():
    # 1,0,0,0,0,0,0,0,1 weighted 10..2 sums to 12; 12 mod 11 = 1; 11 - 1 = 10.
    assert nhs_number.check_digit("100000001") is None
    with pytest.raises(nhs_number.InvalidNHSNumber, match="works out as 10"):
        nhs_number.validate("1000000010")


@pytest.mark.parametrize("raw, length", [("943476591", 9), ("94347659190", 11)])
def test_a_number_of_the_wrong_length_is_refused(raw, length):
    with pytest.raises(nhs_number.InvalidNHSNumber, match=f"10 digits, not {length}"):
        nhs_number.validate(raw)


@pytest.mark.parametrize("raw", ["943 476 5919", "943-476-5919", " 943 476-5919 "])
def test_spaces_and_dashes_are_normalised(raw):
    assert nhs_number.validate(raw) == "9434765919"


def test_letters_are_refused():
    with pytest.raises(nhs_number.InvalidNHSNumber, match="only digits"):
        nhs_number.validate("94347A5919")


def test_check_digit_11_becomes_0():
    # Weighted sum of 9,9,9,0,0,0,0,0,4 is 90+81+72+8 = 251; 251 mod 11 = 9 -> 2. Find one giving 0.
    first_nine = next(
        f"999{i:06d}" for i in range(10**6) if nhs_number.check_digit(f"999{i:06d}") == 0
    )
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    assert total % 11 == 0
    assert nhs_number.is_valid(first_nine + "0")


@given(st.integers(min_value=0, max_value=2**32))
def test_synthetic_numbers_are_valid_and_never_issued(seed):
    number = nhs_number.synthetic(random.Random(seed))
    assert nhs_number.is_valid(number)
    assert number.startswith("999")


def test_the_model_field_refuses_a_bad_number_with_the_reason():
    with pytest.raises(ValidationError) as exc:
        validate_nhs_number("9434765918")
    assert "should be 9" in str(exc.value)


@pytest.mark.django_db
def test_a_person_cannot_be_saved_with_a_bad_number():
    with pytest.raises(nhs_number.InvalidNHSNumber):
        PatientFactory(nhs_number="9434765918")
    assert not Patient.objects.exists()


@pytest.mark.django_db
def test_a_person_saved_with_spaces_is_stored_normalised():
    person = PatientFactory(nhs_number="943 476 5919")
    person.refresh_from_db()
    assert person.nhs_number == "9434765919"
    assert person.nhs_number_formatted == "943 476 5919"
