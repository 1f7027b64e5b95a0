"""Sign-up, log-in, log-out and password reset on the website."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from loyalty.members.models import Member

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Anna",
    "last_name": "de Vries",
    "email": "anna@example.com",
    "password1": "a-long-unusual-pass",
    "password2": "a-long-unusual-pass",
    "locale": "nl",
    "marketing_consent": "on",
}


def test_a_visitor_can_join_and_lands_on_their_account(client):
    response = client.post(reverse("loyalty:signup"), SIGNUP, follow=True)

    member = Member.objects.get(user__email="anna@example.com")
    assert response.redirect_chain[-1][0] == reverse("loyalty:account")
    assert member.locale == "nl" and member.marketing_consent
    assert member.formatted_number in response.content.decode()


def test_joining_with_a_registered_email_says_so_and_keeps_the_existing_member(client, member):
    data = {**SIGNUP, "email": member.user.email.upper()}

    response = client.post(reverse("loyalty:signup"), data)

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password2": "something-else"}, "not the same"),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"email": "not-an-email"}, "valid email"),
        ({"first_name": ""}, "required"),
        ({"locale": "xx"}, "valid choice"),
    ],
)
def test_joining_with_bad_input_explains_what_is_wrong(client, change, message):
    response = client.post(reverse("loyalty:signup"), {**SIGNUP, **change})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Member.objects.count() == 0


def test_a_member_logs_in_with_email_and_password_and_logs_out(client, member):
    response = client.post(
        reverse("loyalty_auth:login"),
        {"username": member.user.email.upper(), "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert client.get(reverse("loyalty:account")).status_code == 200

    client.post(reverse("loyalty_auth:logout"))

    assert client.get(reverse("loyalty:account")).status_code == 302


def test_a_wrong_password_is_refused_with_a_clear_message(client, member):
    response = client.post(
        reverse("loyalty_auth:login"), {"username": member.user.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "email address and password do not match" in response.content.decode()


def test_a_member_resets_a_forgotten_password_by_email(client, member):
    client.post(reverse("loyalty_auth:password_reset"), {"email": member.user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S*password-reset/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"},
    )

    member.user.refresh_from_db()
    assert member.user.check_password("brand-new-pass-42")


def test_password_reset_for_an_unknown_address_does_not_reveal_it(client):
    response = client.post(
        reverse("loyalty_auth:password_reset"), {"email": "nobody@example.com"}, follow=True
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 0
    assert "If an account exists" in response.content.decode()
