"""The English and French declaration templates Retorno ships (data/declaration-*.txt),
version 2026-1, active. An organisation adds its own languages and versions on the
templates page or with `manage.py load_declaration_template`."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
SHIPPED = [
    ("en", "2026-1", "Declaration of voluntary return", "declaration-en.txt"),
    ("fr", "2026-1", "Déclaration de retour volontaire", "declaration-fr.txt"),
]


def load(apps, schema_editor):
    Template = apps.get_model("declarations", "DeclarationTemplate")
    for language, version, title, filename in SHIPPED:
        if Template.objects.filter(language=language, version=version).exists():
            continue
        Template.objects.create(language=language, version=version, title=title,
                                body=(DATA / filename).read_text(encoding="utf-8"),
                                active=not Template.objects.filter(language=language,
                                                                   active=True).exists())


def unload(apps, schema_editor):
    Template = apps.get_model("declarations", "DeclarationTemplate")
    for language, version, _title, _filename in SHIPPED:
        Template.objects.filter(language=language, version=version,
                                declarations__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("declarations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
