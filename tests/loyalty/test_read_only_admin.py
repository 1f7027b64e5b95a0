"""The vouchers list and the email log are read-only in the admin: a voucher changes only by being
cancelled (with a reason, Likes returned), a send only by the mailer. No one, not even a superuser,
reaches an add, edit or delete screen."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from loyalty.core.admin import ReadOnlyModelViewSet, ReadOnlyPermissionPolicy
from loyalty.emails.models import Send
from loyalty.ledger import services as ledger
from loyalty.members.models import Member
from loyalty.rewards.models import Redemption
from loyalty.rewards.services import redeem_reward
from tests.conftest import grant
from tests.factories import RewardFactory, UserFactory
from tests.loyalty.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


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


def snapshot(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


@pytest.mark.parametrize("which", VIEWSETS)
def test_the_old_edit_add_and_delete_urls_are_gone_even_for_a_superuser(admin_client, request, which):
    prefix, fixture, data = VIEWSETS[which]
    obj = request.getfixturevalue(fixture)
    before, count = snapshot(obj), type(obj).objects.count()

    for url in (
        f"/admin/{prefix}/edit/{obj.pk}/",
        f"/admin/{prefix}/new/",
        f"/admin/{prefix}/delete/{obj.pk}/",
        f"/admin/{prefix}/copy/{obj.pk}/",
    ):
        assert admin_client.get(url).status_code == 404, url
        assert admin_client.post(url, data).status_code == 404, url

    assert snapshot(obj) == before and type(obj).objects.count() == count


def test_a_voucher_cannot_be_cancelled_by_editing_it(admin_client, member, voucher):
    response = admin_client.post(f"/admin/loyalty/vouchers/edit/{voucher.pk}/", {"cancel_reason": "x"})

    assert response.status_code == 404
    voucher.refresh_from_db()
    assert voucher.status == Redemption.Status.ISSUED and voucher.cancel_reason == ""
    assert balance_of(member) == 100


@pytest.mark.parametrize("name", ["loyalty_redemptions", "loyalty_email_log"])
def test_the_write_routes_are_not_registered(name):
    for route, args in (("add", []), ("edit", [1]), ("delete", [1]), ("copy", [1])):
        with pytest.raises(NoReverseMatch):
            reverse(f"{name}:{route}", args=args)


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
        assert f"/admin/{prefix}/edit/" not in page
        assert f"/admin/{prefix}/delete/" not in page
        assert f"/admin/{prefix}/new/" not in page


@pytest.mark.parametrize("which", VIEWSETS)
def test_a_superuser_is_offered_no_write_buttons_either(admin_client, request, which):
    prefix, fixture, _ = VIEWSETS[which]
    obj = request.getfixturevalue(fixture)

    pages = [
        admin_client.get(f"/admin/{prefix}/"),
        admin_client.get(f"/admin/{prefix}/inspect/{obj.pk}/"),
        admin_client.get(f"/admin/{prefix}/history/{obj.pk}/"),
        admin_client.get(f"/admin/{prefix}/usage/{obj.pk}/"),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    for page in pages:
        html = page.content.decode()
        assert f"/admin/{prefix}/edit/" not in html and f"/admin/{prefix}/new/" not in html


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
