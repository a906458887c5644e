from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Serve a signed-in user in their preferred language, if they chose one.

    Runs before LocaleMiddleware, which otherwise follows the browser's Accept-Language.
    Reads the user from the session lazily: no query for anonymous requests.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get("retorno_language")
        if language and translation.check_for_language(language):
            request.META["HTTP_ACCEPT_LANGUAGE"] = language
        return self.get_response(request)
