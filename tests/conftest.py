"""Shared fixtures: members with accounts, an editor, and the database vendor in use."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import translation

from tests.factories import MemberFactory, UserFactory


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks():
    """A request in Dutch leaves Dutch active in the thread; every test starts in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return MemberFactory(first_name="Anna", last_name="de Vries")


@pytest.fixture
def other_member(db):
    return MemberFactory(first_name="Bram", last_name="Jansen")


@pytest.fixture
def editor(db):
    """A Wagtail editor who may view and correct members, but is not a superuser."""
    user = UserFactory(email="editor@example.com", first_name="Eva")
    group, _ = Group.objects.get_or_create(name="Loyalty editors")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_member"),
        Permission.objects.get(codename="change_member"),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def viewer(db):
    """An admin user who may see members but not correct them."""
    user = UserFactory(email="viewer@example.com")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_member"),
    )
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def grant(user, *codenames):
    """Give a user model permissions by codename (e.g. 'add_earningrule')."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user
