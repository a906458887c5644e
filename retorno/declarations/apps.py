from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    name = "retorno.declarations"
    label = "declarations"
    verbose_name = _("Voluntary return declarations")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.declarations.sections import case_section

        # After consent (20), before screening and fitness to travel (30).
        sections.register(sections.Section(template="declarations/_case_section.html",
                                           context=case_section, order=25))
