from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "retorno.documents"
    label = "documents"
    verbose_name = _("Travel documents")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.documents.sections import case_section

        # After fitness to travel (30), before alternative pathways (40).
        sections.register(sections.Section(template="documents/_case_section.html",
                                           context=case_section, order=35))
