"""The vouchers list and the email log are read-only in the admin: a voucher changes only by being
cancelled (with a reason, Likes returned), a send only by the mailer. No one, not even a superuser,
reaches an add, edit or delete screen."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from loyalty.core.admin import ReadOnlyModelViewSet, ReadOnlyPermissionPolicy
from loyalty.emails.models import Send
from loyalty.ledger import services as ledger
from loyalty.members.models import Member
from loyalty.rewards.models import Redemption
from loyalty.rewards.services import redeem_reward
from tests.conftest import grant
from tests.factories import RewardFactory, UserFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.read_only_admin import (
    assert_no_write_links,
    assert_write_routes_unregistered,
    read_only_pages,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def voucher(member):
    ledger.earn(member=member, amount=300)
    return redeem_reward(member=member, reward=RewardFactory(cost=200, stock=5))


@pytest.fixture
def send(member):
    return Send.objects.create(member=member, kind="surveys", subject="How was it?", occasion="survey:1")


VIEWSETS = {
    "vouchers": ("loyalty/vouchers", "voucher", {"cancel_reason": "Edited", "status": "cancelled"}),
    "email-log": ("loyalty/email-log", "send", {"state": "sent", "reason": "Edited"}),
}


@pytest.mark.parametrize("which", VIEWSETS)
def test_the_old_edit_add_and_delete_urls_are_gone_even_for_a_superuser(superuser_client, request, which):
    prefix, fixture, data = VIEWSETS[which]
    obj = request.getfixturevalue(fixture)
    before, count = snapshot(obj), type(obj).objects.count()

    for url in (
        f"/admin/{prefix}/edit/{obj.pk}/",
        f"/admin/{prefix}/new/",
        f"/admin/{prefix}/delete/{obj.pk}/",
        f"/admin/{prefix}/copy/{obj.pk}/",
    ):
        assert superuser_client.get(url).status_code == 404, url
        assert superuser_client.post(url, data).status_code == 404, url

    assert snapshot(obj) == before and type(obj).objects.count() == count


def test_a_voucher_cannot_be_cancelled_by_editing_it(superuser_client, member, voucher):
    response = superuser_client.post(f"/admin/loyalty/vouchers/edit/{voucher.pk}/", {"cancel_reason": "x"})

    assert response.status_code == 404
    voucher.refresh_from_db()
    assert voucher.status == Redemption.Status.ISSUED and voucher.cancel_reason == ""
    assert balance_of(member) == 100


@pytest.mark.parametrize("name", ["loyalty_redemptions", "loyalty_email_log"])
def test_the_write_routes_are_not_registered(name):
    assert_write_routes_unregistered(name)


@pytest.mark.parametrize(("which", "codename"), [("vouchers", "view_redemption"), ("email-log", "view_send")])
def test_a_viewer_sees_the_listing_and_inspects_a_row_without_write_buttons(client, request, which, codename):
    prefix, fixture, _ = VIEWSETS[which]
    obj = request.getfixturevalue(fixture)
    client.force_login(grant(UserFactory(email="viewer2@example.com"), "access_admin", codename))

    listing = client.get(f"/admin/{prefix}/")
    inspect = client.get(f"/admin/{prefix}/inspect/{obj.pk}/")

    assert listing.status_code == 200 and inspect.status_code == 200
    html = listing.content.decode()
    assert f"/admin/{prefix}/inspect/{obj.pk}/" in html
    for page in (html, inspect.content.decode()):
        assert_no_write_links(page, prefix)


@pytest.mark.parametrize("which", VIEWSETS)
def test_a_superuser_is_offered_no_write_buttons_either(superuser_client, request, which):
    prefix, fixture, _ = VIEWSETS[which]
    obj = request.getfixturevalue(fixture)

    pages = read_only_pages(superuser_client, prefix, obj.pk)

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    for page in pages:
        assert_no_write_links(page.content.decode(), prefix)


def test_an_editor_still_cancels_a_voucher_from_the_listing(client, editor, member, voucher):
    grant(editor, "change_redemption")
    client.force_login(editor)

    html = client.get("/admin/loyalty/vouchers/").content.decode()
    response = client.post(f"/admin/loyalty/vouchers/{voucher.pk}/cancel/", {"reason": "Event cancelled"})

    assert f"/admin/loyalty/vouchers/{voucher.pk}/cancel/" in html
    assert response.status_code == 302
    voucher.refresh_from_db()
    assert voucher.status == Redemption.Status.CANCELLED and balance_of(member) == 300


def test_the_read_only_policy_grants_only_view_and_to_no_one_else(superuser, editor):
    policy = ReadOnlyPermissionPolicy(Redemption)
    grant(editor, "change_redemption")

    for user in (superuser, editor):
        assert not policy.user_has_any_permission(user, ["add", "change", "delete", "publish"])
        assert policy.user_has_permission(user, "view")  # change implies view, as in Django's admin
    assert not policy.users_with_any_permission(["add", "change", "delete"]).exists()
    assert editor in policy.users_with_permission("view")


def test_a_read_only_viewset_refuses_a_model_whose_policy_can_write():
    viewset = ReadOnlyModelViewSet(model=Member, name="members_read_only")

    with pytest.raises(ImproperlyConfigured, match="ReadOnlyPermissionPolicy"):
        viewset.register_permissions()
