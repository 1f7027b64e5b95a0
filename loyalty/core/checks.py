"""System checks that name what the host site must set up for the plugin, and how to fix it.

They run with every ``manage.py`` command that checks (``runserver``, ``migrate``, ``check``), under
the tag ``loyalty`` (``manage.py check --tag loyalty``). Ids are stable, so a site can silence a
deliberate choice with ``SILENCED_SYSTEM_CHECKS = ["loyalty.W001"]``:

- loyalty.E001: an app the plugin needs is missing from INSTALLED_APPS.
- loyalty.E002: a middleware the plugin needs is missing from MIDDLEWARE.
- loyalty.E003: LocaleMiddleware is not between SessionMiddleware and CommonMiddleware.
- loyalty.E004: a context processor the templates need is missing from every DjangoTemplates backend.
- loyalty.E005: the member pages are not reachable: loyalty.urls is not included, or a catch-all
  (Wagtail's page serving) comes before it.
- loyalty.W001: no real task backend: emails, expiry and surveys would run in (or never leave) the request.
- loyalty.W002: WAGTAILADMIN_BASE_URL unset with DEBUG off: email links would have no host.
- loyalty.W003: PostgreSQL without persistent or pooled connections with DEBUG off.
- loyalty.I001: LANGUAGES offers languages the plugin has no translations for.

Messages and hints are plain English, as Django's own checks are.
"""

from pathlib import Path

from django.apps import apps
from django.conf import global_settings, settings
from django.core.checks import Error, Info, Tags, Warning, register
from django.utils.module_loading import import_string
from django.utils.translation import get_language_info, to_locale

TAG = "loyalty"

# Every loyalty app, and what the plugin needs of the rest of the site (each is imported, subclassed or
# referred to by the plugin's code or templates; Wagtail's and Django's own requirements are theirs).
LOYALTY_APPS = {
    "loyalty.members": "the members every other loyalty app refers to",
    "loyalty.ledger": "the Likes ledger",
    "loyalty.rules": "the earning rules, purchases and referrals",
    "loyalty.rewards": "the rewards catalogue and vouchers",
    "loyalty.sharing": "sharing Likes between members",
    "loyalty.insights": "surveys, metrics and personas",
    "loyalty.emails": "the member emails and campaigns",
    "loyalty.api": "the partner API",
}
REQUIRED_APPS = {
    **LOYALTY_APPS,
    "wagtail.contrib.settings": "the email settings are a Wagtail site setting",
    "wagtail.snippets": "the loyalty admin screens are snippet viewsets",
    "wagtail.images": "reward pictures are Wagtail images",
    "wagtail.admin": "the loyalty admin screens are Wagtail admin views",
    "wagtail": "tip pages are Wagtail pages",
    "modelcluster": "campaigns, rules and surveys use modelcluster relations",
    "taggit": "Wagtail images are tagged with taggit",
    "rest_framework": "the partner API is built on Django REST framework",
    "rest_framework_api_key": "partner API keys are stored with djangorestframework-api-key",
    "drf_spectacular_sidecar": "the partner API documentation serves Swagger UI from it, not from a CDN",
    "django_tasks": "emails, expiry and survey invitations are tasks",
    "django.contrib.auth": "members are site users",
    "django.contrib.contenttypes": "Django's auth and Wagtail need it",
    "django.contrib.sessions": "member log-in and messages are kept in the session",
    "django.contrib.messages": "the member pages and admin screens confirm and refuse with messages",
    "django.contrib.staticfiles": "the plugin's stylesheets and the API documentation are static files",
}
COMMUNITY_APPS = {
    "wagtail.contrib.routable_page": "the community feed is a routable page",
    "wagtail.images": "community posts carry Wagtail images",
}

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"
MESSAGE = "django.contrib.messages.middleware.MessageMiddleware"
LOCALE = "django.middleware.locale.LocaleMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
REQUIRED_MIDDLEWARE = {
    SESSION: ("member log-in and messages need the session", "near the top, after SecurityMiddleware"),
    AUTHENTICATION: ("the member pages read request.user", "after SessionMiddleware"),
    MESSAGE: ("the member pages confirm and refuse with messages", "after SessionMiddleware"),
    LOCALE: (
        "the member pages read request.LANGUAGE_CODE",
        "after SessionMiddleware and before CommonMiddleware",
    ),
    CSRF: ("the member forms post with a CSRF token", "before any middleware that handles views"),
}

DJANGO_TEMPLATES = "django.template.backends.django.DjangoTemplates"
REQUEST_PROCESSOR = "django.template.context_processors.request"
MESSAGES_PROCESSOR = "django.contrib.messages.context_processors.messages"
AUTH_PROCESSOR = "django.contrib.auth.context_processors.auth"
REQUIRED_PROCESSORS = {
    REQUEST_PROCESSOR: "the plugin's templates read request.user and request.path",
    MESSAGES_PROCESSOR: "the Wagtail admin shows the loyalty screens' confirmations from messages",
}
COMMUNITY_PROCESSORS = {AUTH_PROCESSOR: "the community templates read user"}

IN_REQUEST_TASK_BACKENDS = {
    "django_tasks.backends.immediate.ImmediateBackend",
    "django.tasks.backends.immediate.ImmediateBackend",
}
NEVER_RUN_TASK_BACKENDS = {
    "django_tasks.backends.dummy.DummyBackend",
    "django.tasks.backends.dummy.DummyBackend",
}
TASKS_HINT = (
    'Use a real queue in settings.py: TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}} '
    'with "django_tasks_db" in INSTALLED_APPS, and run "python manage.py db_worker" next to the web '
    'server. If this is deliberate (tests), add "loyalty.W001" to SILENCED_SYSTEM_CHECKS.'
)
TASK_WORK = "member emails, Likes expiry and survey invitations"

POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}


def register_checks() -> None:
    """Register every check (idempotent: Django keeps its checks in a set)."""
    for check in (
        check_installed_apps,
        check_middleware,
        check_middleware_order,
        check_task_backend,
        check_base_url,
        check_database_connections,
    ):
        register(check, TAG)
    register(check_urls, TAG, Tags.urls)
    register(check_context_processors, TAG, Tags.templates)
    register(check_languages, TAG, Tags.translation)


def _applies(app_configs) -> bool:
    """Run for the whole project, or when one of the plugin's apps is among those checked."""
    return app_configs is None or any(_is_plugin_app(config.name) for config in app_configs)


def _is_plugin_app(name: str) -> bool:
    return name.startswith("loyalty.") or name == "community"


# loyalty.E005 ------------------------------------------------------------------------------------


def check_urls(app_configs=None, **kwargs) -> list:
    """loyalty.E005: the member pages must be included, and reached: a path included after Wagtail's
    catch-all reverses fine but resolves to Wagtail's page serving, which answers 404."""
    if not _applies(app_configs):
        return []
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    from loyalty.ledger.views import account_overview

    hint_include = 'path("club/", include("loyalty.urls"))'
    try:
        path = reverse("loyalty:account")
    except NoReverseMatch:
        return [
            Error(
                "The loyalty member pages are not in the site's URLs (no 'loyalty' namespace).",
                hint=f"Add {hint_include} to urlpatterns in your urls.py, above Wagtail's catch-all.",
                id="loyalty.E005",
            )
        ]
    try:
        view = resolve(path).func
    except Resolver404:
        view = None
    if getattr(view, "__wrapped__", view) is not getattr(account_overview, "__wrapped__", account_overview):
        name = getattr(view, "__module__", "") + "." + getattr(view, "__name__", str(view))
        return [
            Error(
                f"{path} (the member account page) is answered by {name}, not by the loyalty plugin: "
                "another URL pattern comes first.",
                hint=f'Move {hint_include} above path("", include(wagtail_urls)) in your urls.py.',
                id="loyalty.E005",
            )
        ]
    return []


# loyalty.E001 ------------------------------------------------------------------------------------


def check_installed_apps(app_configs=None, **kwargs) -> list:
    """loyalty.E001: one Error per app the plugin needs that INSTALLED_APPS lacks."""
    if not _applies(app_configs):
        return []
    required = dict(REQUIRED_APPS)
    if apps.is_installed("community"):
        required.update({name: reason for name, reason in COMMUNITY_APPS.items() if name not in required})
    return [
        Error(
            f'"{name}" is missing from INSTALLED_APPS; the loyalty plugin needs it ({reason}).',
            hint=f'Add "{name}" to INSTALLED_APPS in settings.py.',
            id="loyalty.E001",
        )
        for name, reason in required.items()
        if not apps.is_installed(name)
    ]


# loyalty.E002 and E003 ---------------------------------------------------------------------------


def _middleware_classes() -> list[tuple[str, type | None]]:
    """Each MIDDLEWARE entry with its class, or None when it cannot be imported (Django reports that)."""
    entries = []
    for path in getattr(settings, "MIDDLEWARE", None) or []:
        try:
            cls = import_string(path)
        except ImportError:
            cls = None
        entries.append((path, cls))
    return entries


def _position(entries: list[tuple[str, type | None]], required: str) -> int | None:
    """Where ``required`` (or a subclass of it) is in MIDDLEWARE, or None."""
    required_cls = import_string(required)
    for index, (path, cls) in enumerate(entries):
        if path == required or (isinstance(cls, type) and issubclass(cls, required_cls)):
            return index
    return None


def check_middleware(app_configs=None, **kwargs) -> list:
    """loyalty.E002: one Error per middleware the plugin needs that MIDDLEWARE lacks."""
    if not _applies(app_configs):
        return []
    entries = _middleware_classes()
    return [
        Error(
            f'"{name}" is missing from MIDDLEWARE; the loyalty plugin needs it ({reason}).',
            hint=f'Add "{name}" to MIDDLEWARE in settings.py, {place}.',
            id="loyalty.E002",
        )
        for name, (reason, place) in REQUIRED_MIDDLEWARE.items()
        if _position(entries, name) is None
    ]


def check_middleware_order(app_configs=None, **kwargs) -> list:
    """loyalty.E003: LocaleMiddleware must come after SessionMiddleware and before CommonMiddleware."""
    if not _applies(app_configs):
        return []
    entries = _middleware_classes()
    locale = _position(entries, LOCALE)
    if locale is None:
        return []  # E002 says it is missing
    hint = (
        f'Order MIDDLEWARE in settings.py as Django documents: "{SESSION}", then "{LOCALE}", then "{COMMON}".'
    )
    errors = []
    session = _position(entries, SESSION)
    if session is not None and locale < session:
        errors.append(
            Error(
                f'"{LOCALE}" comes before "{SESSION}" in MIDDLEWARE; it must come after it '
                "(LocaleMiddleware uses session data).",
                hint=hint,
                id="loyalty.E003",
            )
        )
    common = _position(entries, COMMON)
    if common is not None and locale > common:
        errors.append(
            Error(
                f'"{LOCALE}" comes after "{COMMON}" in MIDDLEWARE; it must come before it '
                "(CommonMiddleware needs the activated language to resolve the requested URL).",
                hint=hint,
                id="loyalty.E003",
            )
        )
    return errors


# loyalty.E004 ------------------------------------------------------------------------------------


def check_context_processors(app_configs=None, **kwargs) -> list:
    """loyalty.E004: one Error per context processor that no DjangoTemplates backend has."""
    if not _applies(app_configs):
        return []
    required = dict(REQUIRED_PROCESSORS)
    if apps.is_installed("community"):
        required.update(COMMUNITY_PROCESSORS)
    present = set()
    for backend in getattr(settings, "TEMPLATES", None) or []:
        if backend.get("BACKEND") == DJANGO_TEMPLATES:
            present.update((backend.get("OPTIONS") or {}).get("context_processors") or [])
    return [
        Error(
            f'"{name}" is missing from the context processors of the DjangoTemplates backend; '
            f"the loyalty plugin needs it ({reason}).",
            hint=(
                f'Add "{name}" to TEMPLATES[...]["OPTIONS"]["context_processors"] of the '
                f'"{DJANGO_TEMPLATES}" backend in settings.py.'
            ),
            id="loyalty.E004",
        )
        for name, reason in required.items()
        if name not in present
    ]


# loyalty.W001 ------------------------------------------------------------------------------------


def check_task_backend(app_configs=None, **kwargs) -> list:
    """loyalty.W001: the default task backend runs tasks inside the request, or never."""
    if not _applies(app_configs):
        return []
    tasks = getattr(settings, "TASKS", None) or {}
    backend = (tasks.get("default") or {}).get("BACKEND")
    if not backend:
        message = (
            'No task backend is configured (settings.TASKS has no "default" backend), so django_tasks '
            f"runs every task at once: {TASK_WORK} would run inside the web request."
        )
    elif backend in IN_REQUEST_TASK_BACKENDS:
        message = (
            f'TASKS["default"] is the ImmediateBackend ("{backend}"): {TASK_WORK} would run inside '
            "the web request."
        )
    elif backend in NEVER_RUN_TASK_BACKENDS:
        message = f'TASKS["default"] is the DummyBackend ("{backend}"): {TASK_WORK} would never run.'
    else:
        return []
    return [Warning(message, hint=TASKS_HINT, id="loyalty.W001")]


# loyalty.W002 ------------------------------------------------------------------------------------


def check_base_url(app_configs=None, **kwargs) -> list:
    """loyalty.W002: email links are built on WAGTAILADMIN_BASE_URL."""
    if not _applies(app_configs) or settings.DEBUG:
        return []
    if (getattr(settings, "WAGTAILADMIN_BASE_URL", None) or "").strip():
        return []
    return [
        Warning(
            "WAGTAILADMIN_BASE_URL is not set: links in the loyalty emails (unsubscribe, rewards, "
            "surveys) would have no host.",
            hint='Set the public address of the site in settings.py, e.g. WAGTAILADMIN_BASE_URL = "https://shop.example.com".',
            id="loyalty.W002",
        )
    ]


# loyalty.W003 ------------------------------------------------------------------------------------


def check_database_connections(app_configs=None, **kwargs) -> list:
    """loyalty.W003: PostgreSQL opening a connection per request in production."""
    if not _applies(app_configs) or settings.DEBUG:
        return []
    warnings = []
    for alias, database in (getattr(settings, "DATABASES", None) or {}).items():
        if database.get("ENGINE") not in POSTGRESQL_ENGINES:
            continue
        if database.get("CONN_MAX_AGE", 0) != 0 or (database.get("OPTIONS") or {}).get("pool"):
            continue
        warnings.append(
            Warning(
                f'DATABASES["{alias}"] is PostgreSQL with CONN_MAX_AGE = 0 and no OPTIONS["pool"]: '
                "every request opens a new database connection.",
                hint=(
                    f'Keep connections open: add "CONN_MAX_AGE": 60 (with "CONN_HEALTH_CHECKS": True) to '
                    f'DATABASES["{alias}"] in settings.py, or pool them with "OPTIONS": {{"pool": True}} '
                    "(Django 5.1+, psycopg 3 with psycopg[pool]). Behind a pooler such as PgBouncer, add "
                    '"loyalty.W003" to SILENCED_SYSTEM_CHECKS instead.'
                ),
                id="loyalty.W003",
            )
        )
    return warnings


# loyalty.I001 ------------------------------------------------------------------------------------


def shipped_languages() -> set[str]:
    """The locales every installed plugin app with translations ships (``nl``, ``pt_BR``), plus ``en``.

    A language counts only when each app that has a ``locale`` directory translates it, so a page
    never mixes languages.
    """
    per_app = []
    for config in apps.get_app_configs():
        if not _is_plugin_app(config.name):
            continue
        found = {po.parents[1].name for po in Path(config.path, "locale").glob("*/LC_MESSAGES/django.po")}
        if found:
            per_app.append(found)
    return set.intersection(*per_app) | {"en"} if per_app else {"en"}


def _is_translated(code: str, shipped: set[str]) -> bool:
    """True when gettext finds the plugin's strings for ``code``, directly or by its base language."""
    locale = to_locale(code)
    return locale in shipped or locale.split("_")[0] in shipped


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def _languages_example(shipped: set[str]) -> str:
    pairs = ", ".join(
        f'("{code}", "{_language_name(code)}")'
        for code in sorted(c.lower().replace("_", "-") for c in shipped)
    )
    return f"LANGUAGES = [{pairs}]"


def check_languages(app_configs=None, **kwargs) -> list:
    """loyalty.I001: the site offers languages in which the member pages and emails would be English."""
    if not _applies(app_configs) or not settings.USE_I18N:
        return []
    shipped = shipped_languages()
    languages = getattr(settings, "LANGUAGES", global_settings.LANGUAGES)
    offered = [code for code, _name in languages]
    untranslated = [code for code in offered if not _is_translated(code, shipped)]
    if not untranslated:
        return []
    translated = ", ".join(sorted(c.lower().replace("_", "-") for c in shipped))
    if list(languages) == list(global_settings.LANGUAGES):
        message = (
            f"LANGUAGES is not set, so the site offers all {len(offered)} of Django's languages; the "
            f"loyalty plugin is translated only into {translated}, and shows the others in English."
        )
    else:
        message = (
            f"LANGUAGES offers languages the loyalty plugin has no translations for: "
            f"{', '.join(untranslated)}. Its pages and emails show in English there (it is translated "
            f"into {translated})."
        )
    return [
        Info(
            message,
            hint=(
                "Limit LANGUAGES in settings.py to the languages you serve, "
                f"e.g. {_languages_example(shipped)}."
            ),
            id="loyalty.I001",
        )
    ]
