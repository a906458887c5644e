import getpass

from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.models import Office, Role, User
from retorno.accounts.services import create_user, grant_role
from retorno.lib.errors import ServiceError


class Command(BaseCommand):
    help = "Create a staff user (or reuse one) and give them a role in an office."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--office", required=True, help="office code, e.g. deu-ber")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, **options):
        office = Office.objects.filter(code=options["office"]).first()
        if office is None:
            codes = ", ".join(Office.objects.values_list("code", flat=True)) or "none yet"
            raise CommandError(f"No office with code {options['office']!r} (known: {codes}).")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            password = getpass.getpass("Password for the new user: ")
            try:
                user = create_user(username=options["username"], password=password,
                                   first_name=options["first_name"],
                                   last_name=options["last_name"])
            except ServiceError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        grant_role(user=user, office=office, role=Role(options["role"]))
        self.stdout.write(f"{user.username} is {Role(options['role']).label} in {office}.")
