"""Access: the Api-Key header; 401 for missing, wrong, revoked or expired keys; 403 without scope; 429."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from loyalty.api.models import Partner, PartnerAPIKey, WriteLog
from loyalty.api.services import issue_key, revoke_key

from .conftest import client_for

pytestmark = pytest.mark.django_db


def get_member(client, member):
    return client.get(f"/api/v1/members/{member.number}/")


def test_a_valid_key_reads_a_member(api, member):
    response = get_member(api, member)

    assert response.status_code == 200
    assert response.json()["number"] == member.number


def test_a_request_without_a_key_gets_401_in_the_error_format(member):
    response = get_member(APIClient(), member)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json() == {
        "type": "client_error",
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "errors": [],
    }


@pytest.mark.parametrize("header", ["Api-Key nonsense.key", "Bearer abc", "Api-Key ", "Api-Key abc"])
def test_a_wrong_key_gets_401(member, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = get_member(client, member)

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"


def test_a_revoked_key_gets_401(partner_key, member):
    api_key, key = partner_key
    revoke_key(prefix=api_key.prefix)

    assert get_member(client_for(key), member).status_code == 401


def test_an_expired_key_gets_401_saying_so(member):
    api_key, key = issue_key(partner_name="Shop X", scopes=["members:read"])
    PartnerAPIKey.objects.filter(pk=api_key.pk).update(expiry_date=timezone.now() - timedelta(minutes=1))

    response = get_member(client_for(key), member)

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_switched_off_partner_gets_401(partner_key, member):
    Partner.objects.update(is_active=False)

    assert get_member(client_for(partner_key[1]), member).status_code == 401


def test_head_needs_the_same_scope_as_get_so_it_is_no_membership_oracle(key_with, member):
    writer = key_with("purchases:write")

    head = writer.head(f"/api/v1/members/?email={member.user.email}")
    unknown = writer.head("/api/v1/members/?email=nobody@example.com")

    assert head.status_code == unknown.status_code == 403
    assert head.get("Content-Length") == unknown.get("Content-Length")
    assert key_with("members:read").head(f"/api/v1/members/{member.number}/").status_code == 200


def test_a_method_the_endpoint_does_not_offer_is_405_not_a_way_around_the_scope(key_with):
    response = key_with("purchases:write").put("/api/v1/purchases/", {}, format="json")

    assert response.status_code == 405


def test_a_key_without_the_scope_gets_403_naming_it(key_with, member):
    response = key_with("purchases:write").get(f"/api/v1/members/{member.number}/")

    assert response.status_code == 403
    assert "members:read" in response.json()["detail"]


def test_keys_are_stored_hashed_and_only_the_prefix_is_kept(partner_key):
    api_key, key = partner_key

    assert key.startswith(api_key.prefix + ".")
    assert key not in api_key.hashed_key


def test_too_many_requests_get_429_with_retry_after(api, member, settings):
    settings.LOYALTY_API_RATE = "3/min"

    statuses = [get_member(api, member).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = get_member(api, member)
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


def test_throttling_is_per_key(partner_key, member, settings):
    settings.LOYALTY_API_RATE = "1/min"
    other = client_for(issue_key(partner_name="Shop X", scopes=["members:read"])[1])

    assert get_member(client_for(partner_key[1]), member).status_code == 200
    assert get_member(other, member).status_code == 200


def test_every_write_is_logged_with_partner_and_key(api, partner_key, member):
    api.post("/api/v1/redemptions/", {"member": member.number, "amount": 5, "reason": "x"}, format="json")

    log = WriteLog.objects.get()
    assert (log.partner.name, log.key_prefix, log.method, log.status_code) == (
        "Shop X",
        partner_key[0].prefix,
        "POST",
        422,
    )
