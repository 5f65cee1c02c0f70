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
    path("tiedot/sahkoposti/", views.email_confirm, name="email_confirm"),
    path("tilaukset/", views.orders, name="orders"),
    path("markkinointi/", views.marketing, name="marketing"),
    path("lataa/", views.download, name="download"),
    path("poista/", views.erase, name="erase"),
    path("pyynnot/", views.requests, name="requests"),
    path("pyynnot/<uuid:code>/peru/", views.request_withdraw, name="request_withdraw"),
]
