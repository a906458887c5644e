from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def use_preferred_language(sender, request, user, **kwargs) -> None:
    """Start each session in the language the user chose in their profile."""
    if getattr(user, "language", ""):
        request.session["retorno_language"] = user.language
