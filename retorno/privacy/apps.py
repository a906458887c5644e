from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "retorno.privacy"
    label = "privacy"
    verbose_name = _("Data protection and audit")

    def ready(self) -> None:
        # The consent section of the case page.
        from retorno.cases import sections
        from retorno.privacy.views import section_context

        sections.register(sections.Section(template="privacy/_case_section.html",
                                           context=section_context, order=20))
