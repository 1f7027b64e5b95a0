"""API test fixtures: a partner with a key per scope set, and an APIClient that sends it."""

import pytest
from rest_framework.test import APIClient

from loyalty.api.scopes import SCOPES
from loyalty.api.services import issue_key


def client_for(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def partner_key(db):
    """A key with every scope for the partner 'Shop X'."""
    return issue_key(partner_name="Shop X", scopes=list(SCOPES))


@pytest.fixture
def api(partner_key):
    return client_for(partner_key[1])


@pytest.fixture
def key_with():
    """key_with('members:read') -> an APIClient whose key has only those scopes."""

    def make(*scopes, partner="Shop X"):
        return client_for(issue_key(partner_name=partner, scopes=list(scopes))[1])

    return make
