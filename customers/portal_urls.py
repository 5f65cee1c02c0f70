from django.urls import path

from customers import portal_views as views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("kirjaudu/", views.login, name="login"),
    path("kirjaudu/koodi/", views.login_code, name="login_code"),
    path("kirjaudu/linkki/<str:token>/", views.login_link, name="login_link"),
    path("kirjaudu-ulos/", views.logout, name="logout"),
    path("tiedot/", views.details, name="details"),
    path("tilaukset/", views.orders, name="orders"),
]
