"""The plugin inside a host site that only followed the README: an email-only user model, its own DRF
endpoint and Wagtail's API v2, no community, no REST_FRAMEWORK, the plugin mounted under /club/."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.checks import ERROR, run_checks
from django.core.management import call_command

from loyalty.api.scopes import SCOPES
from loyalty.api.services import issue_key
from loyalty.members.models import Member
from tests.factories import MemberFactory, PurchaseRuleFactory, UserFactory
from tests.loyalty.api.conftest import client_for

pytestmark = pytest.mark.django_db
CREDENTIALS = {"username": "anna@example.com", "password": "correct horse battery"}


@pytest.fixture
def shop_user():
    """Someone who had an account on the shop's site before the loyalty program existed."""
    return get_user_model().objects.create_user(email="old.customer@example.com", password="s3cret-Pass!")


@pytest.fixture
def partner():
    return client_for(issue_key(partner_name="Till", scopes=list(SCOPES))[1])


def test_the_host_uses_an_email_only_user_model_without_a_username():
    User = get_user_model()
    assert User.USERNAME_FIELD == "email"
    assert "username" not in {field.name for field in User._meta.get_fields()}


def test_the_host_site_passes_its_system_checks_and_has_no_missing_migrations():
    assert [m for m in run_checks() if m.level >= ERROR] == []
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_hosts_own_drf_endpoint_answers_a_logged_in_admin_as_before(client):
    admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert client.get("/host-api/whoami/").json() == {"email": "admin@example.com"}
    posted = client.post("/host-api/whoami/", {"note": "form data"})  # DRF's default form parser
    assert posted.status_code == 201 and posted.json() == {"received": {"note": "form data"}}


def test_the_hosts_own_drf_endpoint_stays_public_for_visitors(client):
    assert client.get("/host-api/whoami/").json() == {"email": None}


def test_wagtails_public_api_v2_still_answers_without_a_login(client):
    response = client.get("/api/v2/pages/")

    assert response.status_code == 200
    assert "items" in response.json()


def test_the_partner_api_refuses_a_missing_key_with_json_not_html(client):
    response = client.get("/api/v1/members/?email=a@example.com")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"


def test_the_partner_api_schema_and_docs_work_without_any_rest_framework_settings(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert schema.status_code == 200
    assert "/api/v1/purchases/" in schema.json()["paths"]
    assert client.get("/api/v1/docs/").status_code == 200


def test_an_existing_user_joins_with_one_click_and_keeps_their_login(client, shop_user):
    client.force_login(shop_user)
    offer = client.get("/club/account/")
    assert offer.status_code == 200 and 'action="/club/account/join/"' in offer.content.decode()

    response = client.post("/club/account/join/", {"locale": "nl", "marketing_consent": ""}, follow=True)

    member = Member.objects.get(user=shop_user)
    assert get_user_model().objects.count() == 1  # no second user
    assert member.locale == "nl" and not member.marketing_consent
    assert member.formatted_number in response.content.decode()


def test_signing_up_creates_an_email_only_user_and_logs_them_in(client):
    response = client.post(
        "/club/account/join/",
        {
            "first_name": "Femke",
            "email": "Femke@Example.com",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "locale": "en",
        },
    )

    assert response.status_code == 302 and response.url == "/club/account/"
    user = get_user_model().objects.get(email="femke@example.com")
    assert user.member.first_name == "Femke"
    assert client.get("/club/account/").status_code == 200


def test_signing_up_with_an_existing_accounts_address_asks_to_log_in_instead(client, shop_user):
    response = client.post(
        "/club/account/join/",
        {
            "first_name": "Someone",
            "email": shop_user.email,
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "locale": "en",
        },
    )

    assert response.status_code == 200
    assert "Log in, and join the club with one click" in response.content.decode()
    assert not Member.objects.exists()
    assert shop_user.check_password("s3cret-Pass!")  # nobody changed their password


def test_the_api_enrols_an_existing_users_email_instead_of_refusing_it(partner, shop_user):
    shop_user.first_name = "Olga"
    shop_user.save()
    response = partner.post(
        "/api/v1/members/",
        {"email": "OLD.customer@example.com", "first_name": "Ignored", "marketing_consent": True},
        format="json",
    )

    assert response.status_code == 201, response.json()
    member = Member.objects.get(number=response.json()["number"])
    assert member.user == shop_user
    shop_user.refresh_from_db()
    assert shop_user.first_name == "Olga"  # the site's user is left as it is
    assert not member.marketing_consent  # consent is the member's to give, not the partner's
    again = partner.post("/api/v1/members/", {"email": shop_user.email, "first_name": "Again"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "email_taken"


def test_a_purchase_through_the_api_earns_likes_the_member_sees_under_the_hosts_prefix(client, partner):
    PurchaseRuleFactory()
    member = MemberFactory(email="anna@example.com")
    purchase = partner.post(
        "/api/v1/purchases/",
        {"member": member.number, "order_reference": "T-1", "amount": "12.00", "currency": "EUR"},
        format="json",
    )
    assert purchase.status_code == 201, purchase.json()

    assert partner.get(f"/api/v1/members/{member.number}/balance/").json()["balance"] == 120
    client.force_login(member.user)
    assert "120" in client.get("/club/account/").content.decode()


def test_visitors_are_sent_to_the_plugins_login_under_the_prefix_and_come_back(client):
    member = MemberFactory(email="anna@example.com", password="correct horse battery")

    response = client.get("/club/account/rewards/")
    assert response.status_code == 302
    assert response.url == "/club/account/login/?next=/club/account/rewards/"

    logged_in = client.post(
        "/club/account/login/",
        {
            "username": "ANNA@example.com",
            "password": "correct horse battery",
            "next": "/club/account/rewards/",
        },
    )
    assert logged_in.status_code == 302 and logged_in.url == "/club/account/rewards/"
    assert int(client.session["_auth_user_id"]) == member.user.pk


def test_after_logging_in_without_next_members_land_on_their_account_not_accounts_profile(client):
    MemberFactory(email="anna@example.com", password="correct horse battery")

    response = client.post("/club/account/login/", CREDENTIALS)

    assert response.status_code == 302 and response.url == "/club/account/"


def test_logging_out_lands_on_the_home_page_with_a_message_not_django_admins_page(client, member):
    client.force_login(member.user)

    response = client.post("/club/account/logout/")

    assert response.status_code == 302 and response.url == "/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["You are logged out. See you soon!"]


def test_member_pages_use_the_hosts_base_template_with_the_plugins_stylesheet_and_messages(client, shop_user):
    client.force_login(shop_user)
    client.post("/club/account/join/", {"locale": "en"})

    html = client.get("/club/account/").content.decode()

    assert 'data-testid="host-header"' in html  # the host's base.html
    assert "/static/loyalty/loyalty.css" in html  # in the host's extra_css block
    assert html.count("Welcome to the club") == 1  # the confirmation, shown once
    assert 'class="loyalty-nav"' in html


def test_links_in_emails_carry_the_hosts_prefix_and_address(
    member, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from loyalty.ledger import services as ledger
    from loyalty.sharing.services import share_likes

    ledger.earn(member=member, amount=50)
    with django_capture_on_commit_callbacks(execute=True):
        share_likes(sender=member, receiver_email="friend@example.com", amount=10)

    (invitation,) = mail.outbox
    assert f"{settings.WAGTAILADMIN_BASE_URL}/club/account/join/?invite=" in invitation.body


@pytest.mark.parametrize("kind", ["staff", "inactive"])
def test_the_api_does_not_enrol_staff_or_inactive_accounts_on_a_partners_word(partner, kind):
    fields = {"is_staff": True} if kind == "staff" else {"is_active": False}
    get_user_model().objects.create_user(email="someone@example.com", password="x", **fields)

    response = partner.post(
        "/api/v1/members/", {"email": "someone@example.com", "first_name": "Someone"}, format="json"
    )

    assert response.status_code == 409 and response.json()["code"] == "account_exists"
    assert not Member.objects.exists()


def test_a_member_without_names_on_the_user_model_still_has_a_name_to_show():
    class Nameless:  # a user model built on AbstractBaseUser alone has no first_name or last_name
        def get_username(self):
            return "old.customer@example.com"

    member = Member()
    member._state.fields_cache["user"] = Nameless()  # what the descriptor returns for member.user

    assert member.names == ("", "")
    assert member.display_name == member.first_name == "old.customer@example.com"


def test_an_address_longer_than_the_user_model_allows_is_refused_not_a_500(client, partner):
    long_address = "a" * 250 + "@example.com"

    page = client.post("/club/account/join/", {"first_name": "A", "email": long_address, "locale": "en"})
    api = partner.post("/api/v1/members/", {"email": long_address, "first_name": "A"}, format="json")

    assert page.status_code == 200 and "at most" in page.content.decode()
    assert api.status_code == 400 and api.json()["errors"][0]["field"] == "email"


def test_a_login_url_of_the_hosts_own_with_a_query_keeps_it_and_adds_next(client, settings):
    settings.LOYALTY_LOGIN_URL = "/sso/start/?provider=shop"

    response = client.get("/club/account/")

    assert response.status_code == 302
    assert response.url == "/sso/start/?provider=shop&next=/club/account/"
