"""Members: numbers, enrolment, leaving and rejoining, consent."""

import random

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.ledger.models import Account
from loyalty.members.exceptions import (
    AlreadyLeft,
    EmailAlreadyRegistered,
    InvalidMembershipDates,
    StillActive,
)
from loyalty.members.models import Member
from loyalty.members.numbers import is_valid_member_number, new_member_number
from loyalty.members.services import (
    enrol_member,
    leave_program,
    rejoin_program,
    set_marketing_consent,
)

pytestmark = pytest.mark.django_db


def test_member_numbers_carry_a_check_digit_that_catches_a_typo():
    number = new_member_number()
    typo = number[:3] + str((int(number[3]) + 1) % 10) + number[4:]

    assert is_valid_member_number(number)
    assert is_valid_member_number(f"{number[:3]} {number[3:6]} {number[6:]}")
    assert is_valid_member_number(f"{number[:3]}.{number[3:6]}-{number[6:]}")  # however people group it
    assert not is_valid_member_number(typo)


def test_consecutive_member_numbers_are_not_sequential():
    numbers = [int(new_member_number(random.Random(i).randrange)) for i in range(2)]
    assert abs(numbers[0] - numbers[1]) > 1


def test_enrolment_creates_user_member_and_ledger_account():
    member = enrol_member(email="Anna@Example.com", password="s3cret-pass!", first_name="Anna")

    assert member.user.email == "anna@example.com"
    assert member.user.check_password("s3cret-pass!")
    assert Account.objects.get(member=member).balance == 0
    assert member.is_active


def test_enrolment_refuses_an_email_already_registered_in_any_case():
    enrol_member(email="anna@example.com")

    with pytest.raises(EmailAlreadyRegistered):
        enrol_member(email="ANNA@example.com")
    assert Member.objects.count() == 1


def test_enrolment_can_import_an_earlier_join_date():
    joined = timezone.now() - timezone.timedelta(days=800)
    assert enrol_member(email="old@example.com", joined_at=joined).joined_at == joined


def test_consent_is_stored_with_the_time_it_was_given():
    member = enrol_member(email="a@example.com", marketing_consent=True)
    assert member.marketing_consent_at is not None

    set_marketing_consent(member=member, consent=False)
    member.refresh_from_db()
    assert (member.marketing_consent, member.marketing_consent_at) == (False, None)


def test_a_member_can_leave_and_rejoin_and_counts_from_the_rejoin(member):
    leave_program(member=member)
    assert not member.is_active
    with pytest.raises(AlreadyLeft):
        leave_program(member=member)

    rejoin_program(member=member)

    member.refresh_from_db()
    assert member.is_active and member.left_at is None
    with pytest.raises(StillActive):
        rejoin_program(member=member)


def test_leaving_before_joining_is_refused(member):
    with pytest.raises(InvalidMembershipDates):
        leave_program(member=member, left_at=member.joined_at - timezone.timedelta(days=1))


def test_database_refuses_a_left_date_before_the_join_date(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(left_at=member.joined_at - timezone.timedelta(days=1))
