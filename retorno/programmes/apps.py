from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "retorno.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.programmes.sections import case_section

        sections.register(sections.Section(
            template="programmes/_eligibility_section.html", context=case_section, order=5))
