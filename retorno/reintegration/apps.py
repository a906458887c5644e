from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "retorno.reintegration"
    label = "reintegration"
    verbose_name = _("Reintegration")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.reintegration.sections import case_section

        # After grants, before referrals to partners (42).
        sections.register(sections.Section(template="reintegration/_case_section.html",
                                           context=case_section, order=41))
