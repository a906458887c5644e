"""The declaration templates Retorno ships: English and French, version 2026-1, in
data/declaration-*.txt. Migration 0002 loads them on installation (with its own frozen
copy of this list); `install_missing` puts them back where a language has no template at
all, e.g. after a test that flushed the database."""

from pathlib import Path

from retorno.declarations.models import DeclarationTemplate

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = [
    ("en", "2026-1", "Declaration of voluntary return", "declaration-en.txt"),
    ("fr", "2026-1", "Déclaration de retour volontaire", "declaration-fr.txt"),
]


def body(filename: str) -> str:
    return (DATA / filename).read_text(encoding="utf-8")


def install_missing() -> list[DeclarationTemplate]:
    """Load each shipped template whose language has no template, through the service
    (as the command line does: no actor)."""
    from retorno.declarations.services import save_template

    have = set(DeclarationTemplate.objects.values_list("language", flat=True).distinct())
    return [save_template(actor=None, data={"language": language, "version": version,
                                            "title": title, "body": body(filename)})
            for language, version, title, filename in SHIPPED if language not in have]
