"""The public statement pages: the current version, its PDF and every earlier version."""

from django.urls import path

from statement import views

app_name = "statement"
urlpatterns = [
    path("tietosuojaseloste/", views.statement, name="current"),
    path("tietosuojaseloste/pdf/", views.statement_pdf, name="pdf"),
    path("tietosuojaseloste/versiot/", views.statement_versions, name="versions"),
    path("tietosuojaseloste/versiot/<int:number>/", views.statement, name="version"),
    path("tietosuojaseloste/versiot/<int:number>/pdf/", views.statement_pdf, name="version_pdf"),
]
