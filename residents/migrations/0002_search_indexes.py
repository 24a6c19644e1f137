"""Prefix-search indexes for PostgreSQL (SPEC §1 search under 50 ms at 50k households).

`LIKE 'x%'` can use a btree index only with the pattern operator class when the
database collation is not C; SQLite needs nothing extra.
"""

from django.db import migrations

INDEXES = [
    ("residents_house_number_prefix", "residents_house", "community_id, number varchar_pattern_ops"),
    ("residents_person_name_prefix", "residents_person", "community_id, name varchar_pattern_ops"),
    ("residents_vehicle_plate_prefix", "residents_vehicle", "plate varchar_pattern_ops"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
