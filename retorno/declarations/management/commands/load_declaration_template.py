"""`manage.py load_declaration_template`: add a declaration template from a text file, for
installations (a new language, or a new version of the text), through the same service as
the templates page. The new template becomes its language's active one unless
--inactive is given. The file is UTF-8 text with placeholders (see
retorno/declarations/placeholders.py, and data/declaration-en.txt for an example)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retorno.declarations.services import save_template
from retorno.lib.errors import ServiceError


class Command(BaseCommand):
    help = "Add a voluntary return declaration template (a language, or a new version)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the template's version here, not Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve",
                                     **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--language", required=True,
                            help="an interface language (en, fr…) or an ISO 639 code")
        parser.add_argument("--version", required=True, dest="template_version",
                            help="the version's label, e.g. 2026-1")
        parser.add_argument("--title", required=True, help="the title printed on top")
        parser.add_argument("--file", required=True, type=Path,
                            help="the text, UTF-8, with placeholders")
        parser.add_argument("--inactive", action="store_true",
                            help="add it without printing from it yet")

    def handle(self, *args, language, template_version, title, file, inactive, **options):
        try:
            body = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        try:
            template = save_template(actor=None, data={
                "language": language, "version": template_version, "title": title,
                "body": body, "active": not inactive})
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        state = "active" if template.active else "inactive"
        self.stdout.write(f"Declaration template {template.language} {template.version} "
                          f"saved ({state}).")
