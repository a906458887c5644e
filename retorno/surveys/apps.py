from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "retorno.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.surveys.sections import case_section

        # After referrals to partners (42).
        sections.register(sections.Section(template="surveys/_case_section.html",
                                           context=case_section, order=45))
