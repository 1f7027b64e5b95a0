"""The OpenAPI schema and docs, the loyalty_partner command, and API keys in the Wagtail admin."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from loyalty.api.models import PartnerAPIKey
from tests.conftest import grant

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_schema_documents_every_endpoint_with_auth_and_errors(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/members/",
        "/api/v1/members/{number}/",
        "/api/v1/members/{number}/balance/",
        "/api/v1/members/{number}/transactions/",
        "/api/v1/members/{number}/discount-quote/",
        "/api/v1/purchases/",
        "/api/v1/purchases/{id}/refunds/",
        "/api/v1/redemptions/",
        "/api/v1/transfers/",
        "/api/v1/survey-responses/",
        "/api/v1/insights/summary/",
        "/api/v1/support-contacts/",
    }
    assert schema["components"]["securitySchemes"]["ApiKey"]["name"] == "Authorization"
    purchase = schema["paths"]["/api/v1/purchases/"]["post"]
    assert {"201", "400", "401", "403", "409", "422", "429"} <= set(purchase["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in purchase["parameters"])


def test_the_interactive_docs_are_served_without_a_cdn(client):
    page = client.get("/api/v1/docs/").content.decode()

    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page


def run(*args) -> str:
    out = StringIO()
    call_command("loyalty_partner", *args, stdout=out)
    return out.getvalue()


def test_the_command_creates_a_partner_and_prints_a_working_key_once(member):
    output = run("create", "Shop Amsterdam", "--scopes", "members:read,purchases:write")

    key = output.strip().splitlines()[-1]
    assert client_for(key).get(f"/api/v1/members/{member.number}/").status_code == 200
    assert PartnerAPIKey.objects.get().scopes == ["members:read", "purchases:write"]

    run("create", "Shop Amsterdam", "--scopes", "members:read", "--key-name", "till 2")
    assert PartnerAPIKey.objects.filter(partner__name="Shop Amsterdam").count() == 2


def test_the_command_revokes_a_key_by_prefix(member):
    key = run("create", "Shop X", "--scopes", "members:read").strip().splitlines()[-1]

    run("revoke", key.split(".")[0])

    assert client_for(key).get(f"/api/v1/members/{member.number}/").status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "Shop X", "--scopes", "members:read,teleport"], "Unknown scope(s): teleport"),
        (["create", "Shop X", "--scopes", ""], "at least one scope"),
        (["create", "Shop X", "--scopes", "members:read", "--expires", "2026-13-01"], "YYYY-MM-DD"),
        (["create", "Shop X", "--scopes", "members:read", "--expires", "2001-01-01"], "in the future"),
        (["revoke", "nosuchkey"], "No API key has the prefix"),
    ],
)
def test_bad_command_input_is_refused_with_the_reason(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
    assert PartnerAPIKey.objects.count() == 0


@pytest.fixture
def key_admin(client, editor):
    grant(
        editor,
        "add_partner",
        "view_partner",
        "add_partnerapikey",
        "view_partnerapikey",
        "change_partnerapikey",
    )
    client.force_login(editor)
    return client


def test_an_editor_creates_a_key_that_is_shown_once(key_admin, member):
    from loyalty.api.models import Partner

    partner = Partner.objects.create(name="Shop X", slug="shop-x")

    page = key_admin.post(
        reverse("loyalty_api_keys:add"), {"partner": partner.pk, "name": "till 1", "scopes": ["members:read"]}
    ).content.decode()

    api_key = PartnerAPIKey.objects.get()
    key = page.split('data-testid="new-key"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert key.startswith(api_key.prefix)
    assert client_for(key).get(f"/api/v1/members/{member.number}/").status_code == 200
    assert key not in key_admin.get(reverse("loyalty_api_keys:index")).content.decode()


def test_an_editor_revokes_a_key(key_admin, member):
    output = run("create", "Shop X", "--scopes", "members:read")
    key = output.strip().splitlines()[-1]

    key_admin.post(reverse("loyalty_api_keys:revoke", args=[PartnerAPIKey.objects.get().prefix]))

    assert client_for(key).get(f"/api/v1/members/{member.number}/").status_code == 401


def test_a_key_without_scopes_cannot_be_created_in_the_admin(key_admin):
    from loyalty.api.models import Partner

    partner = Partner.objects.create(name="Shop X", slug="shop-x")

    response = key_admin.post(
        reverse("loyalty_api_keys:add"), {"partner": partner.pk, "name": "x", "scopes": []}
    )

    assert response.status_code == 200
    assert PartnerAPIKey.objects.count() == 0


def test_without_permission_an_admin_user_cannot_create_keys(client, viewer):
    client.force_login(viewer)

    assert client.get(reverse("loyalty_api_keys:add")).status_code in (302, 403)


def test_no_html_error_page_for_unknown_api_paths_under_a_known_prefix():
    response = APIClient().get("/api/v1/members/123/balance/")

    assert response["Content-Type"].startswith("application/json")
