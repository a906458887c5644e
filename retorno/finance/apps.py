from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "retorno.finance"
    label = "finance"
    verbose_name = _("Grants and finance")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.finance.sections import case_section

        # After handover and reception (38), before alternative pathways (40).
        sections.register(sections.Section(template="finance/_case_section.html",
                                           context=case_section, order=39))
