from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from retorno.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_changed")), name="password_change"),
    path("password/done/", views.password_changed, name="password_changed"),
    path("language/", views.set_language, name="set_language"),
]
