"""The activity stream: one ``Activity`` row for each engaging thing a member does, wherever it happens.

Insights listens to the other apps' models (Django's ``post_save`` / ``post_delete``; they never
import insights) and writes the row in the same transaction as the source row, so the stream and
the source cannot disagree. Engagement then reads one indexed table instead of eight.

A source that stops counting (a cancelled voucher, a heart taken back, a post hidden by a
moderator or removed) takes its activity with it; a post a moderator restores brings it back.
Bulk loads that bypass ``save()`` (the synthetic seed) write the stream themselves; ``backfill``
rebuilds it from the source tables in one statement per source.

Optional apps add their own sources with ``register_source`` from their ``AppConfig.ready()`` (the
community registers posts, comments and hearts), so insights never imports them and its migrations
never depend on which apps are installed.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models.signals import post_delete, post_save

from .models import Activity


@dataclass(frozen=True)
class Source:
    model: str  # app_label.ModelName
    kind: str  # Activity.Kind
    member_field: str
    time_field: str
    excluded: tuple[str, ...] = ()  # statuses that do not count (a cancelled voucher, a hidden post)

    def counts(self, instance) -> bool:
        return getattr(instance, "status", "") not in self.excluded

    def reference(self, pk) -> str:
        return f"{self.kind}:{pk}"


LOYALTY_SOURCES = (
    Source("loyalty_rules.Purchase", Activity.Kind.PURCHASE, "member", "occurred_at"),
    Source("loyalty_rewards.Redemption", Activity.Kind.REDEMPTION, "member", "created_at", ("cancelled",)),
    Source("loyalty_sharing.Share", Activity.Kind.SHARE, "sender", "created_at"),
    Source("loyalty_insights.SurveyResponse", Activity.Kind.SURVEY_ANSWER, "member", "occurred_at"),
)
_registered: list[Source] = []


def register_source(source: Source) -> None:
    """Follow ``source`` from now on: its rows write and remove activity rows. Idempotent."""
    if source in _registered:
        return
    _registered.append(source)
    _connect(source, apps.get_model(source.model))


def installed_sources(registry=apps, sources=None) -> list[tuple[Source, type]]:
    """Each registered source (or each of ``sources``) whose model ``registry`` knows, with that model.
    A migration passes its historical registry, where an app migrated later has no model yet."""
    found = []
    for source in _registered if sources is None else sources:
        try:
            found.append((source, registry.get_model(source.model)))
        except LookupError:
            continue
    return found


def _record(source: Source, instance) -> None:
    Activity.objects.create(
        member_id=getattr(instance, f"{source.member_field}_id"),
        kind=source.kind,
        occurred_at=getattr(instance, source.time_field),
        reference=source.reference(instance.pk),
    )


def _forget(source: Source, pk) -> None:
    Activity.objects.filter(kind=source.kind, reference=source.reference(pk)).delete()


def connect() -> None:
    """Follow loyalty's own sources (insights' ``ready()``)."""
    for source in LOYALTY_SOURCES:
        register_source(source)


def _connect(source: Source, model) -> None:
    def saved(sender, instance, created, raw=False, source=source, **kwargs):
        if raw:  # loading fixtures
            return
        if created and source.counts(instance):
            _record(source, instance)
        elif not created and source.excluded:  # a status may have changed either way
            if not source.counts(instance):
                _forget(source, instance.pk)
            elif not Activity.objects.filter(
                kind=source.kind, reference=source.reference(instance.pk)
            ).exists():
                _record(source, instance)  # restored by a moderator

    def deleted(sender, instance, source=source, **kwargs):
        _forget(source, instance.pk)

    uid = f"loyalty_insights_activity_{source.kind}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}_saved")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}_deleted")


def backfill(registry=apps, sources=None) -> None:
    """Write the stream's rows for every source row that has none yet: one INSERT ... SELECT per source
    (every registered source, or each of ``sources``)."""
    quote = connection.ops.quote_name
    tables = set(connection.introspection.table_names())
    activity = quote(registry.get_model("loyalty_insights", "Activity")._meta.db_table)
    for source, model in installed_sources(registry, sources):
        table = model._meta.db_table
        if table not in tables:
            continue
        member = quote(model._meta.get_field(source.member_field).column)
        when = quote(source.time_field)
        statuses = ", ".join(f"'{status}'" for status in source.excluded)  # fixed names, not input
        excluded = f" AND s.status NOT IN ({statuses})" if statuses else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {activity} (member_id, kind, occurred_at, reference) "  # noqa: S608 - fixed names
                f"SELECT s.{member}, %s, s.{when}, %s || CAST(s.id AS TEXT) FROM {quote(table)} s "
                f"WHERE s.{member} IS NOT NULL{excluded} AND NOT EXISTS ("
                f"SELECT 1 FROM {activity} a WHERE a.kind = %s AND a.reference = %s || CAST(s.id AS TEXT))",
                [source.kind, f"{source.kind}:", source.kind, f"{source.kind}:"],
            )
