"""Bad input to the partner API is a JSON 4xx that says what was wrong, never a 500 or an HTML page."""

import pytest

from loyalty.rules.models import Purchase
from tests.factories import PurchaseRuleFactory

from .test_writes import purchase_body

pytestmark = pytest.mark.django_db


def assert_json_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code


def test_deeply_nested_json_is_a_parse_error(api):
    response = api.generic("POST", "/api/v1/purchases/", "[" * 100_000, content_type="application/json")

    assert_json_error(response, 400, "parse_error")
    assert "nested too deeply" in response.json()["detail"]


def test_an_unknown_path_under_the_api_is_a_json_404(api):
    assert_json_error(api.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_json_error(api.post("/api/v1/members/1/balance/extra/", {}, format="json"), 404, "not_found")


def test_a_body_over_the_upload_limit_is_a_json_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = '{"order_reference": "' + "x" * 2_000 + '"}'

    response = api.generic("POST", "/api/v1/purchases/", body, content_type="application/json")

    assert_json_error(response, 413, "request_too_large")


@pytest.mark.parametrize("number", ["%00", "123%00456", "abc"])
def test_a_member_number_with_a_nul_byte_or_letters_is_unknown_member(api, number):
    assert_json_error(api.get(f"/api/v1/members/{number}/"), 404, "unknown_member")


def test_a_very_large_purchase_earns_its_likes_instead_of_overflowing(api, member):
    PurchaseRuleFactory()  # 10 Likes per euro: 3,000,000,000 Likes, beyond a 32-bit integer

    response = api.post(
        "/api/v1/purchases/", purchase_body(member, amount="300000000.00", items=[]), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["likes_earned"] == 3_000_000_000
    assert Purchase.objects.get().likes_earned == 3_000_000_000


def test_an_item_quantity_beyond_a_million_is_refused(api, member):
    item = {"sku": "S1", "quantity": 3_000_000_000, "unit_price": "1.00"}

    response = api.post("/api/v1/purchases/", purchase_body(member, items=[item]), format="json")

    assert response.status_code == 400
    assert Purchase.objects.count() == 0


def test_a_discount_quote_for_an_absurd_order_amount_is_refused(api, member):
    response = api.get(f"/api/v1/members/{member.number}/discount-quote/?order_amount=1e30")

    assert_json_error(response, 400, "invalid_order_amount")


def test_insights_for_days_far_in_the_future_are_refused_naming_the_field(key_with):
    response = key_with("insights:read").get("/api/v1/insights/summary/?from=9990-01-01&to=9999-12-31")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "to"
