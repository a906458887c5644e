from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST


@require_GET
@login_required
def password_changed(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Your password was changed."))
    return redirect("cases:my_work")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen interface language for this session."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.session["retorno_language"] = language
        translation.activate(language)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
