"""The host site under test: its settings, with an immediate task backend, a fast hasher and an
in-memory outbox, as tests/settings.py does for the demo. Tests run here with
DJANGO_SETTINGS_MODULE=tests.host.test_settings (CI does)."""

import os
import tempfile

from tests.host.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SILENCED_SYSTEM_CHECKS = ["loyalty.W001"]  # tasks run inside the test on purpose
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"loyalty-host-media-{os.getpid()}")
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.path.join(tempfile.gettempdir(), f"loyalty-host-test-{os.getpid()}.sqlite3")
}
