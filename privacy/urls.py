from django.urls import path

from privacy import access_views, views
from statement import views as statement_views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "tietopaketti/<str:token>/<str:kind>/",
        access_views.download_access_package,
        name="access_download",
    ),
    path("tietosuojaseloste/", statement_views.statement, name="statement"),
    path("tietosuojaseloste/pdf/", statement_views.statement_pdf, name="statement_pdf"),
    path(
        "tietosuojaseloste/versiot/", statement_views.statement_versions, name="statement_versions"
    ),
    path(
        "tietosuojaseloste/versiot/<int:number>/",
        statement_views.statement,
        name="statement_version",
    ),
    path(
        "tietosuojaseloste/versiot/<int:number>/pdf/",
        statement_views.statement_pdf,
        name="statement_version_pdf",
    ),
]
