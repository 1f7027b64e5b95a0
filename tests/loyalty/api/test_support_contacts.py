"""POST /api/v1/support-contacts/: partners report contacts; members are invited to the support survey."""

import pytest

from loyalty.insights.models import SupportContact, Survey, SurveyInvitation
from loyalty.insights.timeline import member_timeline

pytestmark = pytest.mark.django_db

URL = "/api/v1/support-contacts/"


def body(member, **extra):
    return {
        "member": member.number,
        "reference": "CASE-1",
        "channel": "phone",
        "subject": "Where is my order?",
        "resolved_first_time": True,
        **extra,
    }


def test_a_reported_contact_is_stored_invites_to_the_support_survey_and_shows_on_the_timeline(
    api, member, django_capture_on_commit_callbacks
):
    Survey.objects.create(name="Effort after support", kind="ces", touchpoint="support", is_active=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(URL, body(member), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 201 and response.json()["member"] == member.number
    contact = SupportContact.objects.get()
    assert (contact.partner, contact.channel, contact.resolved_first_time) == ("shop-x", "phone", True)
    assert SurveyInvitation.objects.get().reference == f"support:{contact.pk}"
    assert any(event.kind == "Support contact" for event in member_timeline(member))


def test_the_same_case_reported_twice_is_stored_once(api, member):
    api.post(URL, body(member), format="json")
    again = api.post(URL, body(member, subject="Changed"), format="json")

    assert again.status_code == 201
    assert SupportContact.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"subject": ""}, "subject"),
        ({"reference": "x" * 101}, "reference"),
        ({"occurred_at": "tomorrow"}, "occurred_at"),
    ],
)
def test_bad_contacts_are_refused_naming_the_field(api, member, change, field):
    response = api.post(URL, body(member, **change), format="json")

    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not SupportContact.objects.exists()


def test_an_unknown_member_is_404_and_the_scope_is_needed(api, key_with, member):
    assert api.post(URL, {**body(member), "member": "0000000000"}, format="json").status_code == 404
    assert key_with("surveys:write").post(URL, body(member), format="json").status_code == 403
