"""Host-site tests run only under its settings: DJANGO_SETTINGS_MODULE=tests.host.test_settings."""

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    if settings.ROOT_URLCONF == "tests.host.urls":
        return
    skip = pytest.mark.skip(
        reason="host-site tests: run with DJANGO_SETTINGS_MODULE=tests.host.test_settings"
    )
    for item in items:
        if "tests/host/" in str(item.fspath):
            item.add_marker(skip)
