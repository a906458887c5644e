"""The audit pages, for `privacy/urls.py` to add to its own patterns (names read
`privacy:...`)."""

urlpatterns: list = []
