"""The partner API's docs page ships drf-spectacular's Swagger UI templates; they must stay its own."""

from pathlib import Path

import drf_spectacular
import pytest

import loyalty.api

OURS = Path(loyalty.api.__file__).parent / "templates" / "loyalty" / "api" / "docs"
THEIRS = Path(drf_spectacular.__file__).parent / "templates" / "drf_spectacular"


@pytest.mark.parametrize("name", ["swagger_ui.html", "swagger_ui.js"])
def test_the_docs_templates_are_the_installed_drf_spectacular_ones(name):
    ours = (OURS / name).read_text()
    if name.endswith(".html"):  # our copy starts with one comment line saying why it is here
        first, _, ours = ours.partition("\n")
        assert first.startswith("{% comment %}") and first.endswith("{% endcomment %}")

    assert ours == (THEIRS / name).read_text()
