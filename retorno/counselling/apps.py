from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "retorno.counselling"
    label = "counselling"
    verbose_name = _("Counselling")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.counselling.sections import case_section

        sections.register(sections.Section(template="counselling/_case_section.html",
                                           context=case_section, order=10))
