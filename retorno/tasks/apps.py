from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "retorno.tasks"
    label = "tasks"
    verbose_name = _("Tasks")

    def ready(self) -> None:
        from retorno.cases import sections
        from retorno.tasks.sections import case_section

        # First among the sections: what is due on the case.
        sections.register(sections.Section(template="tasks/_case_section.html",
                                           context=case_section, order=1))
