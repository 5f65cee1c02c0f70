"""Public pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from statement.models import Controller


def home(request: HttpRequest) -> HttpResponse:
    """Show the shop's front page with links to the statement and the portal."""
    return render(request, "privacy/home.html", {"controller": Controller.current()})
