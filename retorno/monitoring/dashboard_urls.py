"""The M&E dashboard's pages (`dashboard.py`), part of the "monitoring" namespace."""

from django.urls import path

from retorno.monitoring import dashboard

urlpatterns = [
    path("monitoring/dashboard/", dashboard.dashboard, name="dashboard"),
]
