"""Deleting a user in the Wagtail admin: a member is refused with a clear message, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse

from loyalty.members.models import Member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_member_is_refused_with_the_reason_and_keeps_the_user(superuser_client, member):
    url = reverse("wagtailusers_users:delete", args=[member.user.pk])

    for response in (superuser_client.get(url), superuser_client.post(url)):
        assert response.status_code == 302
        assert response.url == reverse("wagtailusers_users:index")

    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(
        "is a member of the loyalty program" in note and member.formatted_number in note for note in notes
    )
    assert get_user_model().objects.filter(pk=member.user.pk).exists()
    assert Member.objects.filter(pk=member.pk).exists()


def test_a_user_who_is_not_a_member_can_still_be_deleted(superuser_client):
    someone = UserFactory(email="someone@example.com")

    response = superuser_client.post(reverse("wagtailusers_users:delete", args=[someone.pk]))

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=someone.pk).exists()


def test_bulk_deleting_users_that_include_a_member_is_refused(superuser_client, member):
    someone = UserFactory(email="someone@example.com")
    User = get_user_model()
    url = (
        reverse("wagtail_bulk_action", args=[User._meta.app_label, User._meta.model_name, "delete"])
        + f"?id={member.user.pk}&id={someone.pk}"
    )

    response = superuser_client.post(url)

    assert response.status_code == 302
    assert User.objects.filter(pk__in=[member.user.pk, someone.pk]).count() == 2
