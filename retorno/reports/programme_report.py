"""The donor and programme report: for one programme and period, the returns (who, from
where, to where), the reintegration assistance delivered, the spending against the
budget and the monitoring results — as a page, a PDF and a workbook of the same tables.

Published figures (disclosure control) by default, since a donor report leaves the
organisation; exact counts when asked for the organisation's own use. The figures are
`dashboard.build` for the programme (the same code path as the dashboard and the
bulletin), plus the monitoring contacts of its returnees in the period.
"""

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from retorno.monitoring.models import MonitoringVisit, Outcome
from retorno.programmes.models import Programme
from retorno.reports import dashboard as boards
from retorno.reports import snapshot as snapshots
from retorno.reports.bulletin import Progress
from retorno.reports.figures import SMALL, Names, period_label, published
from retorno.reports.models import AssistedReturn
from retorno.reports.statistics import Period, Selection
from retorno.reports.tables import Column, Table, several_to_xlsx

SECTIONS = ("origin", "sex_age", "categories", "vulnerability", "months", "time",
            "assistance", "spending", "sustainability", "monitoring")


def monitoring_contacts(period: Period, programme_id: int, public: bool) -> Table:
    """Monitoring visits and calls made in the period to the programme's returnees, by
    outcome (each contact counted; a returnee may be contacted more than once)."""
    cases = AssistedReturn.objects.filter(programme_id=programme_id,
                                          first_of_case=True).values("case_id")
    counts = Counter(MonitoringVisit.objects.filter(
        case_id__in=cases, contact_on__gte=period.start, contact_on__lte=period.end)
        .values_list("outcome", flat=True))
    rows = [[str(outcome.label),
             None if public and 1 <= counts[outcome.value] <= SMALL else counts[outcome.value]]
            for outcome in Outcome]
    return published(Table(slug="monitoring-contacts", title=_("Monitoring contacts by outcome"),
                  columns=[Column("outcome", _("Outcome"), "#status+outcome"),
                           Column("contacts", _("Contacts"), "#output+contacts", "count")],
                  rows=rows,
                  notes=[_("Visits and calls made in the period to the programme's "
                           "returnees, whenever they returned.")]), public)


def build(period: Period, programme_id: int, *, public: bool,
          progress: Progress = lambda percent, step: None, names: Names) -> dict[str, Any]:
    programme = Programme.objects.get(pk=programme_id)
    progress(5, _("Counting the returns"))
    board = boards.build(period, Selection(programme_id=programme_id), public=public,
                         names=names, with_charts=False)
    progress(40, _("Drawing the maps and charts"))
    boards.draw(board)
    progress(60, _("Adding the monitoring results"))
    monitoring = {"table": snapshots.table_data(monitoring_contacts(period, programme_id,
                                                                    public)),
                  "chart": "", "map": ""}
    data = snapshots.document_data(
        board, SECTIONS, extra={"monitoring": monitoring},
        title=_("%(programme)s: report for %(period)s") % {
            "programme": programme.name, "period": period_label(period)})
    data["programme"] = {"code": programme.code, "name": programme.name,
                         "donor": programme.donor}
    return data


def render_html(data: dict[str, Any], *, for_pdf: bool = False) -> str:
    return snapshots.render_html(data, kicker=_("Donor and programme report"),
                                 for_pdf=for_pdf)


def render_pdf(data: dict[str, Any]) -> bytes:
    return snapshots.render_pdf(data, kicker=_("Donor and programme report"))


def render_xlsx(data: dict[str, Any]) -> bytes:
    return several_to_xlsx(snapshots.tables_of(data))
