from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "retorno.pathways"
    label = "pathways"
    verbose_name = _("Alternative pathways")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.pathways.sections import case_section

        sections.register(sections.Section(template="pathways/_case_section.html",
                                           context=case_section, order=40))
