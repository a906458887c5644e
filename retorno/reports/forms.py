"""The statistics filters: a period, a programme, an office, and where people returned
from and to — a country, one of the organisation's regions or a UN M49 region.

An area is written as its code: "DEU" (a country, ISO 3166-1 alpha-3), "org:MENA" (an
organisation region, `regions.Region.code`) or "m49:145" (an M49 region, sub-region or
intermediate region).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.models import Office
from retorno.lib import m49
from retorno.lib.codes import country_choices
from retorno.programmes.models import Programme
from retorno.regions import lookup
from retorno.reports.statistics import Period, Selection

MAX_DAYS = 366 * 5  # the longest period a page computes


def last_quarter(today: datetime.date) -> Period:
    return Period.quarter_of(today).shifted(-3)


def presets(today: datetime.date) -> list[tuple[str, Period]]:
    """Named periods offered as links."""
    this_quarter = Period.quarter_of(today)
    return [
        (_("Last quarter"), last_quarter(today)),
        (_("This quarter"), this_quarter),
        (_("This year"), Period.year(today.year)),
        (_("Last year"), Period.year(today.year - 1)),
        (_("Last 12 months"), Period(today.replace(day=1) - relativedelta(months=11),
                                     today.replace(day=1) + relativedelta(months=1, days=-1))),
    ]


def area_choices() -> list[tuple[str, list[tuple[str, str]] | str]]:
    return [
        ("", _("Anywhere")),
        (_("Organisation regions"), [(f"org:{r.code}", r.name) for r in lookup.regions()]),
        (_("UN M49 regions"), [(f"m49:{a.code}", a.name) for a in m49.areas("region")]),
        (_("UN M49 sub-regions"), [(f"m49:{a.code}", a.name)
                                   for a in m49.areas("subregion")]),
        (_("Countries"), country_choices()),
    ]


def area_countries(value: str) -> frozenset[str] | None:
    """The countries an area code stands for (None: anywhere). LookupError for an area
    that does not exist."""
    if not value:
        return None
    if value.startswith("org:"):
        return lookup.countries_in(value[4:])
    if value.startswith("m49:"):
        return m49.countries_in(value[4:])
    if value in dict(country_choices()):
        return frozenset({value})
    raise LookupError(value)


class Filters(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), required=False,
                                       queryset=Programme.objects.order_by("name"),
                                       empty_label=gettext_lazy("All programmes"))
    office = forms.ModelChoiceField(label=gettext_lazy("Office"), required=False,
                                    queryset=Office.objects.order_by("name"),
                                    empty_label=gettext_lazy("All offices"),
                                    help_text=gettext_lazy("The host or the origin office."))
    host = forms.ChoiceField(label=gettext_lazy("Host country or region"), required=False)
    origin = forms.ChoiceField(label=gettext_lazy("Country or region of origin"),
                               required=False)
    public = forms.BooleanField(label=gettext_lazy("Published figures (small counts hidden)"),
                                required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = area_choices()
        self.fields["host"].choices = choices
        self.fields["origin"].choices = choices

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None and end is None:
            default = last_quarter(timezone.localdate())
            start, end = default.start, default.end
        elif start is None or end is None:
            raise forms.ValidationError(_("Give both the first and the last day of the "
                                          "period."))
        if end < start:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        data["period"] = Period(start, end)
        for name in ("host", "origin"):
            try:
                data[f"{name}_countries"] = area_countries(data.get(name) or "")
            except LookupError:
                self.add_error(name, _("This region no longer exists."))
        return data

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(programme_id=data["programme"].pk if data.get("programme") else None,
                         office_id=data["office"].pk if data.get("office") else None,
                         host_countries=data.get("host_countries"),
                         origin_countries=data.get("origin_countries"))
