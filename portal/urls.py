from django.urls import path

from portal import views

app_name = "portal"
# Included at the site's root: the landing page and the package downloads sit outside /oma/.
urlpatterns = [
    path("", views.landing, name="landing"),
    path(
        "tietopaketti/<str:token>/<str:kind>/",
        views.download_access_package,
        name="access_download",
    ),
    # The opt-out link of a marketing message: public, short (it goes in text messages too).
    path("peru/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("oma/", views.portal_home, name="home"),
    path("oma/kirjaudu/", views.login, name="login"),
    path("oma/kirjaudu/koodi/", views.login_code, name="login_code"),
    path("oma/kirjaudu/linkki/", views.login_link, name="login_link"),
    path("oma/kirjaudu-ulos/", views.logout, name="logout"),
    path("oma/tiedot/", views.details, name="details"),
    path("oma/tiedot/sahkoposti/", views.email_confirm, name="email_confirm"),
    path("oma/tiedot/korjaus/<slug:field>/", views.correction, name="correction"),
    path("oma/tilaukset/", views.orders, name="orders"),
    path("oma/markkinointi/", views.marketing, name="marketing"),
    path("oma/lataa/", views.download, name="download"),
    path("oma/poista/", views.erase, name="erase"),
    path("oma/pyynnot/", views.requests, name="requests"),
    path("oma/pyynnot/<uuid:code>/peru/", views.request_withdraw, name="request_withdraw"),
]
