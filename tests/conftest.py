"""Shared fixtures: members with accounts, an editor, the clock, and the database vendor in use."""

import os
from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import translation

from tests.factories import MemberFactory, UserFactory


def pytest_addoption(parser):
    parser.addoption(
        "--now",
        default=os.environ.get("LOYALTY_TEST_NOW", ""),
        metavar="ISO-8601",
        help=(
            "Start every test at this instant, e.g. 2026-12-31T23:40+01:00 (the clock then ticks on). "
            "Default: the real clock, or LOYALTY_TEST_NOW when it is set."
        ),
    )


def _moved_clock(config) -> datetime | None:
    value = config.getoption("--now")
    if not value:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"--now / LOYALTY_TEST_NOW: {value!r} is not an ISO 8601 instant") from error
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--now / LOYALTY_TEST_NOW: {value!r} needs a UTC offset, e.g. +01:00")
    return instant


def pytest_configure(config):
    config.loyalty_now = _moved_clock(config)


def pytest_collection_modifyitems(config, items):
    """On a site without the community (the host test site), its integration tests are skipped."""
    from django.apps import apps

    if apps.is_installed("community"):
        return
    skip = pytest.mark.skip(reason="needs the optional community app, which this site does not install")
    for item in items:
        if "community" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    if config.loyalty_now:
        return f"clock: every test starts at {config.loyalty_now.isoformat()} (--now / LOYALTY_TEST_NOW)"
    return None


@pytest.fixture(autouse=True)
def _clock(request):
    """Run each test from the instant --now names, so the suite can be proven at awkward hours."""
    instant = request.config.loyalty_now
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=True):
        yield


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
def superuser(db):
    """Every Django permission, so only a missing route or a hook can stop them."""
    return UserFactory(email="root@example.com", is_superuser=True, is_staff=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def grant(user, *codenames):
    """Give a user model permissions by codename (e.g. 'add_earningrule')."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user
