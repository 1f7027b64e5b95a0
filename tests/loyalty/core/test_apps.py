"""A site that leaves out one of the loyalty apps is told which one, and how to add it, at start-up."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_missing_loyalty_app_stops_django_with_the_app_and_the_fix_not_a_model_error():
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.loyalty.core.settings_without_emails", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert "loyalty.E001" in started.stderr and '"loyalty.emails",' in started.stderr
    assert "isn't in an application in INSTALLED_APPS" not in started.stderr
