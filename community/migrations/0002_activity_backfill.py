"""Write the activity stream's rows for posts, comments and hearts that have none yet.

The community may be added to a site that has been running the loyalty apps for a while: this
migration runs after the stream exists, whenever the community is installed."""

from django.db import migrations


def backfill(apps, schema_editor):
    from community.integrations import ACTIVITY_SOURCES
    from loyalty.insights.activity import backfill

    backfill(apps, ACTIVITY_SOURCES)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("loyalty_insights", "0008_activity_stream"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
