from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "retorno.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.monitoring.sections import case_section

        # After the reintegration plan (41) and referrals to partners (42).
        sections.register(sections.Section(template="monitoring/_case_section.html",
                                           context=case_section, order=44))
