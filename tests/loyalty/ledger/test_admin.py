"""Editors in the Wagtail admin: find members, read their ledger, book a correction with a reason."""

import pytest
from django.urls import reverse

from loyalty.ledger import services
from loyalty.ledger.models import Journal, LedgerSettings
from tests.factories import MemberFactory

from .helpers import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize("query", ["anna", "ANNA@", "de vries"])
def test_editor_finds_a_member_by_name_or_email(editor_client, member, other_member, query):
    email_query = member.user.email.split("@")[0] if query == "ANNA@" else query

    page = editor_client.get(reverse("loyalty_members:index"), {"q": email_query}).content.decode()

    assert member.formatted_number in page
    assert other_member.formatted_number not in page


def test_editor_finds_a_member_by_number(editor_client, member, other_member):
    page = editor_client.get(reverse("loyalty_members:index"), {"q": member.number}).content.decode()

    assert member.formatted_number in page
    assert other_member.formatted_number not in page


def test_member_list_does_a_constant_number_of_queries(editor_client, django_assert_max_num_queries):
    for _ in range(3):
        MemberFactory()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        editor_client.get(reverse("loyalty_members:index"))
    for _ in range(12):
        MemberFactory()

    with django_assert_max_num_queries(len(few)):
        editor_client.get(reverse("loyalty_members:index"))


def test_editors_cannot_add_or_delete_members_in_the_admin(editor_client, member):
    page = editor_client.get(reverse("loyalty_members:index")).content.decode()
    assert reverse("loyalty_members:add") not in page
    assert editor_client.get(reverse("loyalty_members:add")).status_code in (302, 403)
    assert editor_client.post(reverse("loyalty_members:delete", args=[member.pk])).status_code in (
        302,
        403,
    )
    member.refresh_from_db()


def test_ledger_view_lists_bookings_and_filters_by_kind(editor_client, member, other_member):
    services.earn(member=member, amount=40, metadata={"partner": "Shop X"})
    services.transfer(sender=member, receiver=other_member, amount=5)
    url = reverse("loyalty_members:ledger", args=[member.pk])

    everything = editor_client.get(url).content.decode()
    earns_only = editor_client.get(url, {"kind": "earn"}).content.decode()

    assert "Purchase at Shop X" in everything and "Shared with Bram" in everything
    assert "Purchase at Shop X" in earns_only and "Shared with Bram" not in earns_only


def test_ledger_view_explains_an_impossible_date_range(editor_client, member):
    url = reverse("loyalty_members:ledger", args=[member.pk])
    page = editor_client.get(url, {"since": "2026-05-02", "until": "2026-05-01"}).content.decode()
    assert "must be on or before" in page


def test_editor_books_a_correction_with_a_reason(editor_client, editor, member):
    url = reverse("loyalty_members:adjust", args=[member.pk])

    response = editor_client.post(url, {"amount": "25", "reason": "Till was offline", "token": "t1"})

    assert response.status_code == 302
    journal = Journal.objects.get(kind=Journal.Kind.ADJUST)
    assert (journal.reason, journal.created_by, balance_of(member)) == (
        "Till was offline",
        editor,
        25,
    )


def test_a_resubmitted_correction_form_books_once(editor_client, member):
    url = reverse("loyalty_members:adjust", args=[member.pk])
    form = {"amount": "25", "reason": "Till was offline", "token": "same-token"}

    editor_client.post(url, form)
    editor_client.post(url, form)

    assert balance_of(member) == 25


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"amount": "10", "reason": "  "}, "needs a reason"),
        ({"amount": "0", "reason": "x"}, "cannot be zero"),
        ({"amount": "ten", "reason": "x"}, "Enter a whole number"),
        ({"amount": "-5", "reason": "Oops"}, "Not enough Likes"),
    ],
)
def test_a_bad_correction_is_refused_with_a_clear_message(editor_client, member, form, message):
    url = reverse("loyalty_members:adjust", args=[member.pk])

    response = editor_client.post(url, {**form, "token": "t"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert balance_of(member) == 0


def test_an_editor_without_change_permission_cannot_correct(client, viewer, member):
    client.force_login(viewer)
    assert client.get(reverse("loyalty_members:ledger", args=[member.pk])).status_code == 200

    response = client.post(
        reverse("loyalty_members:adjust", args=[member.pk]),
        {"amount": "5", "reason": "x", "token": "t"},
    )

    assert response.status_code == 302  # Wagtail sends a refused editor to the dashboard
    assert response["Location"] == reverse("wagtailadmin_home")
    assert balance_of(member) == 0


def test_admin_changes_the_currency_name_and_members_see_it(admin_client, client, member):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["loyalty_ledger", "ledgersettings", site.pk])
    response = admin_client.post(
        url,
        {
            "currency_name": "Points",
            "currency_name_singular": "Point",
            "lot_lifetime_days": "180",
            "rounding": "half_up",
        },
    )
    assert response.status_code == 302
    assert LedgerSettings.for_site(site).lot_lifetime_days == 180

    client.force_login(member.user)
    assert "0 Points" in client.get(reverse("loyalty:account")).content.decode()
