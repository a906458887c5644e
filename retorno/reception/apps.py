from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "retorno.reception"
    label = "reception"
    verbose_name = _("Handover and reception")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.reception.sections import case_section

        # After itineraries (37), before alternative pathways (40).
        sections.register(sections.Section(template="reception/_case_section.html",
                                           context=case_section, order=38))
