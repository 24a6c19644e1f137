"""The monthly summary's aggregates read one community's month (or year, for
the trend) of visits. On PostgreSQL a covering index lets them run from the index
alone: at 1M visits the trend's monthly counts went from 222 ms to 67 ms and
`figures.compute` from 175 ms to 124 ms (bench/summary_bench.py), where the
planner otherwise walked the started_at index and filtered other communities'
rows. SQLite has no INCLUDE; its existing indexes serve its volumes.
"""

from django.db import migrations

NAME = "visits_visit_month_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON visits_visit (community_id, started_at) "
            "INCLUDE (id, house_id, is_late, created_by_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0005_summaries")]

    operations = [migrations.RunPython(create, drop)]
