"""A simple limit on the public pages, against floods: per client address, per hour.

Counts live in Django's cache (`CACHES["default"]`), so with several processes the cache
must be shared for the limit to hold across them. The address is `REMOTE_ADDR`: behind a
reverse proxy it must be set to the client's address by the proxy (not read from a header
a client can forge).
"""

from django.core.cache import cache
from django.http import HttpRequest

SUBMISSIONS_PER_HOUR = 10
LOOKUPS_PER_HOUR = 30
_WINDOW = 3600


def _key(scope: str, request: HttpRequest) -> str:
    return f"feedback-throttle:{scope}:{request.META.get('REMOTE_ADDR', '')}"


def exhausted(scope: str, request: HttpRequest, limit: int) -> bool:
    return cache.get(_key(scope, request), 0) >= limit


def count(scope: str, request: HttpRequest) -> None:
    key = _key(scope, request)
    if cache.add(key, 1, _WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, _WINDOW)
