"""Partial name search: a trigram index for SQLite, better estimates for PostgreSQL.

SQLite: `people_person_fts` is an FTS5 table with the trigram tokenizer over
`people_person.search_text` ("external content": it stores only the index, the text stays
in people_person, rowid = person id). Triggers keep it in step with every insert, update
and delete, whatever writes them; the migration fills it for the people already there.
`cases/search.py` matches words of three letters or more with
`id IN (SELECT rowid FROM people_person_fts WHERE people_person_fts MATCH '"word"')`,
a substring match like `LIKE '%word%'` (search_text is already folded by `lib.text.fold`).

Careful: SQLite rebuilds a table for some schema changes (Django's "remake table"), which
drops its triggers. A later migration that remakes people_person must create the three
triggers again (the search tests fail if they are missing).

PostgreSQL has its trigram index (0002). Here it gets a finer sample of search_text: it
estimates how many people `LIKE '%word%'` matches from the most common values and the
histogram, and with the default 100 entries any name looks like 0 or 1% of everyone,
which picks poor plans for both rare and common names. 1000 entries resolve 0.1%.
"""

from django.db import migrations

FTS = "people_person_fts"
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='people_person', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON people_person BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON people_person BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF id, search_text ON people_person BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_CREATE = [
    "ALTER TABLE people_person ALTER COLUMN search_text SET STATISTICS 1000",
    "ANALYZE people_person",
]
POSTGRES_DROP = ["ALTER TABLE people_person ALTER COLUMN search_text SET STATISTICS -1"]


def _run(schema_editor, sqlite: list[str], postgres: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": sqlite, "postgresql": postgres}.get(vendor, []):
        schema_editor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, SQLITE_CREATE, POSTGRES_CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, SQLITE_DROP, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_search_index")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
