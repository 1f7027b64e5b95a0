"""POST/GET/PATCH /api/v1/members/: enrol, look up by number or email, change, leave and rejoin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.members.models import Member
from tests.factories import ActionRuleFactory
from tests.loyalty.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db

NEW = {"email": "Femke@Example.com", "first_name": "Femke", "last_name": "Bakker", "locale": "nl"}


def test_a_partner_enrols_a_member_and_gets_their_number(api):
    ActionRuleFactory(trigger="signup", likes=50)

    response = api.post("/api/v1/members/", {**NEW, "external_id": "C-77"}, format="json")

    assert response.status_code == 201
    body = response.json()
    member = Member.objects.get(number=body["number"])
    assert body["email"] == "femke@example.com" and body["external_id"] == "C-77"
    assert set(body) == {
        "number",
        "email",
        "first_name",
        "last_name",
        "locale",
        "marketing_consent",
        "joined_at",
        "left_at",
        "external_id",
    }
    assert balance_of(member) == 50


def test_importing_with_an_earlier_join_date_keeps_it_and_gives_no_sign_up_likes(api):
    ActionRuleFactory(trigger="signup", likes=50)
    joined = timezone.now() - timedelta(days=700)

    body = api.post("/api/v1/members/", {**NEW, "joined_at": joined.isoformat()}, format="json").json()

    member = Member.objects.get(number=body["number"])
    assert abs(member.joined_at - joined) < timedelta(seconds=1)
    assert balance_of(member) == 0


def test_an_address_already_registered_is_409(api, member):
    response = api.post("/api/v1/members/", {**NEW, "email": member.user.email}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"locale": "xx"}, "locale"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_member_data_names_the_field(api, changes, field):
    response = api.post("/api/v1/members/", {**NEW, **changes}, format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert Member.objects.count() == 0


def test_a_member_is_found_by_number_with_or_without_spaces(api, member):
    assert api.get(f"/api/v1/members/{member.formatted_number}/").json()["number"] == member.number


def test_an_unknown_number_is_404_unknown_member(api):
    response = api.get("/api/v1/members/0000000000/")

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_member"


def test_a_member_is_found_by_email(api, member):
    response = api.get("/api/v1/members/", {"email": member.user.email.upper()})

    assert [m["number"] for m in response.json()] == [member.number]


def test_looking_up_without_an_email_is_a_clear_400(api):
    response = api.get("/api/v1/members/")

    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "email"


def test_a_partner_changes_details_and_records_that_a_member_left_and_rejoined(api, member):
    left = timezone.now()
    response = api.patch(
        f"/api/v1/members/{member.number}/",
        {"first_name": "Annie", "marketing_consent": True, "left_at": left.isoformat()},
        format="json",
    )

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.user.first_name == "Annie" and member.marketing_consent and member.left_at is not None

    api.patch(f"/api/v1/members/{member.number}/", {"left_at": None}, format="json")
    member.refresh_from_db()
    assert member.left_at is None


def test_leaving_before_joining_is_refused(api, member):
    response = api.patch(
        f"/api/v1/members/{member.number}/", {"left_at": "2000-01-01T00:00:00Z"}, format="json"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_dates"


def test_external_ids_are_per_partner(api, key_with, member):
    api.patch(f"/api/v1/members/{member.number}/", {"external_id": "X-1"}, format="json")

    other = key_with("members:read", partner="Shop Y").get(f"/api/v1/members/{member.number}/").json()

    assert other["external_id"] == ""


def test_an_external_id_already_used_for_another_member_is_409(api, member, other_member):
    api.patch(f"/api/v1/members/{member.number}/", {"external_id": "X-1"}, format="json")

    response = api.patch(f"/api/v1/members/{other_member.number}/", {"external_id": "X-1"}, format="json")
    enrol = api.post("/api/v1/members/", {**NEW, "external_id": "X-1"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "external_id_taken")
    assert enrol.status_code == 409
    assert not Member.objects.filter(user__email="femke@example.com").exists()
