"""The plugin's system checks: each names what the host site lacks and how to fix it, and is silent
when the requirement is met (the demo's settings meet them all)."""

import pytest
from django.apps import apps
from django.conf import global_settings
from django.core.checks import ERROR, Error, Info, Tags, Warning, registry, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.middleware.locale import LocaleMiddleware

from loyalty.core import checks

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
LOCALE = "django.middleware.locale.LocaleMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
REQUEST_PROCESSOR = "django.template.context_processors.request"
AUTH_PROCESSOR = "django.contrib.auth.context_processors.auth"
POSTGRESQL = "django.db.backends.postgresql"


class SiteLocaleMiddleware(LocaleMiddleware):
    """A site's own LocaleMiddleware: a subclass counts as the real one."""


def ids(messages):
    return [message.id for message in messages]


def without(setting: list, entry: str) -> list:
    assert entry in setting
    return [item for item in setting if item != entry]


@pytest.fixture
def missing_apps(monkeypatch):
    """Make ``apps.is_installed`` deny the given apps (changing INSTALLED_APPS reloads the registry)."""

    def deny(*names):
        is_installed = apps.is_installed
        monkeypatch.setattr(apps, "is_installed", lambda name: name not in names and is_installed(name))

    return deny


# Registration and the demo's settings --------------------------------------------------------------


def test_the_checks_are_registered_by_the_members_app_under_the_loyalty_tag():
    registered = registry.registry.registered_checks
    for check in (
        checks.check_installed_apps,
        checks.check_middleware,
        checks.check_middleware_order,
        checks.check_context_processors,
        checks.check_task_backend,
        checks.check_base_url,
        checks.check_database_connections,
        checks.check_languages,
    ):
        assert check in registered
        assert "loyalty" in check.tags
    assert Tags.templates in checks.check_context_processors.tags
    assert "loyalty" in registry.registry.tags_available()


def test_the_demo_settings_raise_no_loyalty_errors():
    errors = [m for m in run_checks(tags=["loyalty"]) if m.id.startswith("loyalty.") and m.level >= ERROR]
    assert errors == []


def test_the_demo_settings_raise_nothing_but_the_test_task_backend_warning():
    assert ids(m for m in run_checks(tags=["loyalty"]) if m.id.startswith("loyalty.")) == ["loyalty.W001"]


def test_manage_py_check_fails_on_a_missing_middleware_and_names_it(settings):
    settings.MIDDLEWARE = without(settings.MIDDLEWARE, LOCALE)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--tag", "loyalty")  # Django 6.1's other checks would need the database
    assert "(loyalty.E002)" in str(raised.value)
    assert LOCALE in str(raised.value)


def test_checking_other_apps_only_skips_the_loyalty_checks(settings):
    settings.MIDDLEWARE = without(settings.MIDDLEWARE, LOCALE)
    assert checks.check_middleware(app_configs=[apps.get_app_config("auth")]) == []
    assert ids(checks.check_middleware(app_configs=[apps.get_app_config("loyalty_ledger")])) == [
        "loyalty.E002"
    ]


# loyalty.E001 ---------------------------------------------------------------------------------------


def test_e001_is_silent_when_every_app_is_installed():
    assert checks.check_installed_apps() == []


@pytest.mark.parametrize(
    "name", ["drf_spectacular_sidecar", "loyalty.emails", "wagtail.contrib.settings", "django_tasks"]
)
def test_e001_names_a_missing_app_and_the_line_to_add(missing_apps, name):
    missing_apps(name)
    [error] = checks.check_installed_apps()
    assert isinstance(error, Error)
    assert error.id == "loyalty.E001"
    assert f'"{name}" is missing from INSTALLED_APPS' in error.msg
    assert error.hint == f'Add "{name}" to INSTALLED_APPS in settings.py.'


def test_e001_reports_each_missing_app_once(missing_apps):
    missing_apps("taggit", "modelcluster", "wagtail.images")
    errors = checks.check_installed_apps()
    assert ids(errors) == ["loyalty.E001"] * 3
    assert sorted(e.msg.split('"')[1] for e in errors) == ["modelcluster", "taggit", "wagtail.images"]


@pytest.mark.community
def test_e001_asks_for_routable_pages_only_when_community_is_installed(missing_apps):
    missing_apps("wagtail.contrib.routable_page")
    [error] = checks.check_installed_apps()
    assert '"wagtail.contrib.routable_page"' in error.msg

    missing_apps("wagtail.contrib.routable_page", "community")
    assert checks.check_installed_apps() == []


def test_e001_does_not_ask_for_apps_the_code_does_not_use():
    assert "django.contrib.humanize" not in checks.REQUIRED_APPS
    assert "django.contrib.admin" not in checks.REQUIRED_APPS


# loyalty.E002 and E003 -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(checks.REQUIRED_MIDDLEWARE))
def test_e002_names_a_missing_middleware_and_where_to_add_it(settings, name):
    settings.MIDDLEWARE = without(settings.MIDDLEWARE, name)
    [error] = checks.check_middleware()
    assert error.id == "loyalty.E002"
    assert f'"{name}" is missing from MIDDLEWARE' in error.msg
    assert error.hint.startswith(f'Add "{name}" to MIDDLEWARE in settings.py, ')


def test_e002_is_silent_when_every_middleware_is_there():
    assert checks.check_middleware() == []


def test_e002_accepts_a_subclass_of_a_required_middleware(settings):
    settings.MIDDLEWARE = [
        f"{__name__}.SiteLocaleMiddleware" if entry == LOCALE else entry for entry in settings.MIDDLEWARE
    ]
    assert checks.check_middleware() == []
    assert checks.check_middleware_order() == []


def test_e002_with_no_middleware_at_all_names_each(settings):
    settings.MIDDLEWARE = []
    assert ids(checks.check_middleware()) == ["loyalty.E002"] * 5
    assert checks.check_middleware_order() == []  # nothing to order


def test_e003_locale_before_session(settings):
    middleware = without(settings.MIDDLEWARE, LOCALE)
    middleware.insert(middleware.index(SESSION), LOCALE)
    settings.MIDDLEWARE = middleware
    [error] = checks.check_middleware_order()
    assert error.id == "loyalty.E003"
    assert f'"{LOCALE}" comes before "{SESSION}"' in error.msg
    assert "must come after it" in error.msg
    assert error.hint == (
        f'Order MIDDLEWARE in settings.py as Django documents: "{SESSION}", then "{LOCALE}", then "{COMMON}".'
    )


def test_e003_locale_after_common(settings):
    middleware = without(settings.MIDDLEWARE, LOCALE)
    middleware.insert(middleware.index(COMMON) + 1, LOCALE)
    settings.MIDDLEWARE = middleware
    [error] = checks.check_middleware_order()
    assert error.id == "loyalty.E003"
    assert f'"{LOCALE}" comes after "{COMMON}"' in error.msg


def test_e003_is_silent_in_the_documented_order():
    assert checks.check_middleware_order() == []


def test_e003_does_not_need_common_middleware(settings):
    settings.MIDDLEWARE = without(settings.MIDDLEWARE, COMMON)
    assert checks.check_middleware_order() == []


# loyalty.E004 ---------------------------------------------------------------------------------------


def templates_without(settings, processor):
    backend = settings.TEMPLATES[0]
    processors = without(backend["OPTIONS"]["context_processors"], processor)
    return [{**backend, "OPTIONS": {**backend["OPTIONS"], "context_processors": processors}}]


@pytest.mark.parametrize("name", list(checks.REQUIRED_PROCESSORS))
def test_e004_names_a_missing_context_processor(settings, name):
    settings.TEMPLATES = templates_without(settings, name)
    [error] = checks.check_context_processors()
    assert error.id == "loyalty.E004"
    assert f'"{name}" is missing from the context processors' in error.msg
    assert f'Add "{name}" to TEMPLATES[...]["OPTIONS"]["context_processors"]' in error.hint


def test_e004_is_silent_when_any_django_templates_backend_has_it(settings):
    templates = templates_without(settings, REQUEST_PROCESSOR)
    settings.TEMPLATES = [
        *templates,
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "NAME": "second",
            "OPTIONS": {"context_processors": [REQUEST_PROCESSOR]},
        },
    ]
    assert checks.check_context_processors() == []


def test_e004_only_counts_django_templates_backends(settings):
    settings.TEMPLATES = [
        *templates_without(settings, REQUEST_PROCESSOR),
        {
            "BACKEND": "django.template.backends.jinja2.Jinja2",
            "OPTIONS": {"context_processors": [REQUEST_PROCESSOR]},
        },
    ]
    assert ids(checks.check_context_processors()) == ["loyalty.E004"]


@pytest.mark.community
def test_e004_asks_for_the_auth_processor_only_for_community(settings, missing_apps):
    settings.TEMPLATES = templates_without(settings, AUTH_PROCESSOR)
    [error] = checks.check_context_processors()
    assert f'"{AUTH_PROCESSOR}"' in error.msg

    missing_apps("community")
    assert checks.check_context_processors() == []


def test_e004_is_silent_with_the_demo_templates():
    assert checks.check_context_processors() == []


# loyalty.W001 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tasks", "says"),
    [
        (
            {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            "inside the web request",
        ),
        ({"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}, "would never run"),
        ({}, 'settings.TASKS has no "default" backend'),
    ],
)
def test_w001_warns_without_a_real_task_backend(settings, tasks, says):
    settings.TASKS = tasks
    [warning] = checks.check_task_backend()
    assert isinstance(warning, Warning)
    assert warning.id == "loyalty.W001"
    assert says in warning.msg
    assert 'TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}' in warning.hint
    assert "manage.py db_worker" in warning.hint


def test_w001_warns_without_a_tasks_setting(settings):
    del settings.TASKS
    assert ids(checks.check_task_backend()) == ["loyalty.W001"]


def test_w001_is_silent_with_a_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert checks.check_task_backend() == []


def test_w001_can_be_silenced_the_standard_way(settings):
    settings.SILENCED_SYSTEM_CHECKS = ["loyalty.W001"]
    [warning] = [m for m in run_checks(tags=["loyalty"]) if m.id == "loyalty.W001"]
    assert warning.is_silenced()  # run_checks reports it; manage.py check leaves it out
    call_command("check", "--tag", "loyalty", "--fail-level", "WARNING")  # nothing left to fail on


# loyalty.W002 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("base_url", ["", "  ", None])
def test_w002_warns_in_production_without_a_base_url(settings, base_url):
    settings.DEBUG = False
    settings.WAGTAILADMIN_BASE_URL = base_url
    [warning] = checks.check_base_url()
    assert warning.id == "loyalty.W002"
    assert "WAGTAILADMIN_BASE_URL is not set" in warning.msg
    assert 'WAGTAILADMIN_BASE_URL = "https://shop.example.com"' in warning.hint


def test_w002_warns_when_the_setting_is_absent(settings):
    settings.DEBUG = False
    del settings.WAGTAILADMIN_BASE_URL
    assert ids(checks.check_base_url()) == ["loyalty.W002"]


def test_w002_is_silent_with_a_base_url_or_in_debug(settings):
    settings.DEBUG = False
    settings.WAGTAILADMIN_BASE_URL = "https://shop.example.com"
    assert checks.check_base_url() == []
    settings.DEBUG = True
    settings.WAGTAILADMIN_BASE_URL = ""
    assert checks.check_base_url() == []


# loyalty.W003 ---------------------------------------------------------------------------------------

overriding_databases = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def with_database(settings, **replica):
    settings.DATABASES = {**settings.DATABASES, "replica": {"ENGINE": POSTGRESQL, "NAME": "shop", **replica}}


@overriding_databases
@pytest.mark.parametrize(
    "replica", [{}, {"CONN_MAX_AGE": 0}, {"OPTIONS": {"pool": False}}, {"OPTIONS": {"pool": {}}}]
)
def test_w003_warns_about_a_connection_per_request(settings, replica):
    settings.DEBUG = False
    with_database(settings, **replica)
    [warning] = checks.check_database_connections()
    assert warning.id == "loyalty.W003"
    assert 'DATABASES["replica"] is PostgreSQL with CONN_MAX_AGE = 0 and no OPTIONS["pool"]' in warning.msg
    assert '"CONN_MAX_AGE": 60' in warning.hint
    assert '"OPTIONS": {"pool": True}' in warning.hint


@overriding_databases
@pytest.mark.parametrize(
    "replica",
    [
        {"CONN_MAX_AGE": 60},
        {"CONN_MAX_AGE": None},
        {"OPTIONS": {"pool": True}},
        {"OPTIONS": {"pool": {"min_size": 2}}},
    ],
)
def test_w003_is_silent_with_persistent_or_pooled_connections(settings, replica):
    settings.DEBUG = False
    with_database(settings, **replica)
    assert checks.check_database_connections() == []


@overriding_databases
def test_w003_is_silent_in_debug_and_for_other_engines(settings):
    settings.DEBUG = True
    with_database(settings)
    assert checks.check_database_connections() == []
    settings.DEBUG = False
    with_database(settings, ENGINE="django.db.backends.sqlite3")
    assert checks.check_database_connections() == []


# loyalty.I001 ---------------------------------------------------------------------------------------


def test_the_shipped_languages_are_found_in_the_locale_directories():
    assert checks.shipped_languages() == {"en", "nl"}


def test_i001_names_the_untranslated_languages(settings):
    settings.LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("pt-br", "Português")]
    [info] = checks.check_languages()
    assert isinstance(info, Info)
    assert info.id == "loyalty.I001"
    assert "no translations for: de, pt-br." in info.msg
    assert 'LANGUAGES = [("en", "English"), ("nl", "Nederlands")]' in info.hint


def test_i001_fires_for_djangos_default_list_of_languages(settings):
    settings.LANGUAGES = global_settings.LANGUAGES
    [info] = checks.check_languages()
    assert info.id == "loyalty.I001"
    assert f"LANGUAGES is not set, so the site offers all {len(global_settings.LANGUAGES)}" in info.msg


def test_i001_fires_without_a_languages_setting(settings):
    del settings.LANGUAGES
    assert ids(checks.check_languages()) == ["loyalty.I001"]


def test_i001_is_silent_for_translated_languages_and_their_variants(settings):
    settings.LANGUAGES = [
        ("en", "English"),
        ("en-gb", "British English"),
        ("nl", "Nederlands"),
        ("nl-be", "Vlaams"),
    ]
    assert checks.check_languages() == []


def test_i001_is_silent_without_translation(settings):
    settings.USE_I18N = False
    settings.LANGUAGES = [("de", "Deutsch")]
    assert checks.check_languages() == []


def test_e005_is_silent_when_the_member_pages_are_reachable():
    assert checks.check_urls() == []


@pytest.mark.urls("tests.loyalty.core.urls_after_catch_all")
def test_e005_names_a_catch_all_that_hides_the_member_pages():
    (error,) = checks.check_urls()

    assert error.id == "loyalty.E005"
    assert "another URL pattern comes first" in error.msg
    assert "above" in error.hint


@pytest.mark.urls("tests.loyalty.core.urls_without_loyalty")
def test_e005_asks_to_include_the_member_pages_when_they_are_missing():
    (error,) = checks.check_urls()

    assert error.id == "loyalty.E005" and 'include("loyalty.urls")' in error.hint
