from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravelConfig(AppConfig):
    name = "retorno.travel"
    label = "travel"
    verbose_name = _("Travel")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.travel import readiness
        from retorno.travel.sections import case_section

        # After travel documents (35), before alternative pathways (40).
        sections.register(sections.Section(template="travel/_case_section.html",
                                           context=case_section, order=37))
        # Near the top, after the tasks (1): what the case still needs to travel.
        sections.register(sections.Section(template="travel/_readiness.html",
                                           context=readiness.case_section, order=3))
