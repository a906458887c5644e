from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "retorno.accounts"
    label = "accounts"
    verbose_name = _("Offices, users and roles")

    def ready(self) -> None:
        from retorno.accounts import signals  # noqa: F401  (connects the receivers)
