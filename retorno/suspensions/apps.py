from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuspensionsConfig(AppConfig):
    name = "retorno.suspensions"
    label = "suspensions"
    verbose_name = _("Return suspensions")
