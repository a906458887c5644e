from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedicalConfig(AppConfig):
    name = "retorno.medical"
    label = "medical"
    verbose_name = _("Medical")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.medical.sections import case_section

        sections.register(sections.Section(template="medical/_case_section.html",
                                           context=case_section, order=30))
