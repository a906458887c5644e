from django.apps import AppConfig


class LibConfig(AppConfig):
    """Registered only so its template filters load; it has no models."""

    name = "retorno.lib"
    label = "retorno_lib"
