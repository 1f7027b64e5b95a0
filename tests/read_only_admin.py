"""Assertions shared by the tests of the admin's read-only screens (loyalty.core.admin)."""

import pytest
from django.urls import NoReverseMatch, reverse

WRITE_ROUTES = (("add", []), ("edit", [1]), ("delete", [1]), ("copy", [1]))


def snapshot(obj) -> dict:
    """Every column of ``obj`` as stored now, to prove a refused request changed nothing."""
    obj = type(obj).objects.get(pk=obj.pk)
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def assert_write_routes_unregistered(url_namespace: str) -> None:
    for route, args in WRITE_ROUTES:
        with pytest.raises(NoReverseMatch):
            reverse(f"{url_namespace}:{route}", args=args)


def read_only_pages(client, prefix: str, pk) -> list:
    """The listing, inspect, history and usage pages of ``/admin/<prefix>/`` for one row."""
    return [
        client.get(f"/admin/{prefix}/"),
        client.get(f"/admin/{prefix}/inspect/{pk}/"),
        client.get(f"/admin/{prefix}/history/{pk}/"),
        client.get(f"/admin/{prefix}/usage/{pk}/"),
    ]


def assert_no_write_links(html: str, prefix: str) -> None:
    for screen in ("edit", "delete", "new"):
        assert f"/admin/{prefix}/{screen}/" not in html, screen
