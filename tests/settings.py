"""Test settings: the site's settings with an immediate task backend and a fast password hasher."""

from cms_site.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_MEDIA = False
SILENCED_SYSTEM_CHECKS = ["loyalty.W001"]  # tasks run inside the test on purpose (ImmediateBackend)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: the live server's threads then wait on the
    # busy timeout as the real site does, instead of failing at once with "database table is locked".
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"loyalty-test-{os.getpid()}.sqlite3")
    }
