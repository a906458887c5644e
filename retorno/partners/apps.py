from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "retorno.partners"
    label = "partners"
    verbose_name = _("Partners and referrals")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.partners.sections import case_section

        # After the reintegration plan's sections (40s), before the timeline.
        sections.register(sections.Section(template="partners/_case_section.html",
                                           context=case_section, order=42))
