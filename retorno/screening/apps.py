from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "retorno.screening"
    label = "screening"
    verbose_name = _("Vulnerability screening")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.screening.sections import case_section

        sections.register(sections.Section(template="screening/_case_section.html",
                                           context=case_section, order=30))
