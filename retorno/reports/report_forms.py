"""Asking for a bulletin or a programme report."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.programmes.models import Programme
from retorno.reports.figures import quarter_label
from retorno.reports.forms import last_quarter
from retorno.reports.statistics import Period


def quarter_code(period: Period) -> str:
    return f"{period.start.year}-Q{period.quarter_number}"


def quarter_choices(today: datetime.date, count: int = 12) -> list[tuple[str, str]]:
    """The last `count` complete quarters and the current one, newest first."""
    current = Period.quarter_of(today)
    quarters = [current] + [current.shifted(-3 * k) for k in range(1, count + 1)]
    return [(quarter_code(q), quarter_label(q)) for q in quarters]


class BulletinForm(forms.Form):
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["quarter"].choices = quarter_choices(today)
        self.fields["quarter"].initial = quarter_code(last_quarter(today))

    def period(self) -> Period:
        year, number = self.cleaned_data["quarter"].split("-Q")
        return Period.quarter(int(year), int(number))


class ProgrammeReportForm(forms.Form):
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"),
                                       queryset=Programme.objects.order_by("name"))
    start = forms.DateField(label=gettext_lazy("From"),
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"),
                          widget=forms.DateInput(attrs={"type": "date"}))
    public = forms.BooleanField(
        label=gettext_lazy("Published figures (small counts hidden), for the donor"),
        required=False, initial=True)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return data
