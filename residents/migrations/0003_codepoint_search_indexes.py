"""Search in code-point order (SPEC §1: search under 50 ms at 50k households).

`selectors.search` asks for the first ten house numbers / names starting with the
typed text in code-point order (`COLLATE "C"`). A btree index in the "C" collation
serves both the LIKE 'x%' range and that order, so a prefix matching thousands
of rows (a surname such as 王, a house prefix such as "1") reads ten index
entries. With 0002's pattern indexes PostgreSQL had to fetch and sort every
match (house prefix "1": 27,750 rows, 33 ms) or walked the (community, name)
index and filtered (surname only: 25–85 ms at 120k people). The "C" indexes
serve every other prefix filter on these columns too, so they replace 0002's
pattern indexes on them. SQLite's default collation already is code-point order.
"""

from django.db import migrations

INDEXES = [
    # new "C" index, table, column, the 0002 pattern index it replaces
    ("residents_house_number_c", "residents_house", "number", "residents_house_number_prefix"),
    ("residents_person_name_c", "residents_person", "name", "residents_person_name_prefix"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column, replaced in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON {table} (community_id, {column} COLLATE "C")')
        schema_editor.execute(f"DROP INDEX IF EXISTS {replaced}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column, replaced in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {replaced} ON {table} (community_id, {column} varchar_pattern_ops)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("residents", "0002_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
