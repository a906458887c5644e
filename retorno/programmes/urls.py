from django.urls import path

from retorno.programmes import views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/<slug:code>/", views.detail, name="detail"),
    path("programmes/<slug:code>/package/", views.package, name="package"),
]
