"""The customer's self-service portal: login, details, orders and deliveries.

Every view finds its data through the logged-in customer (`portal_customer`), never through an
id in the URL alone.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from customers import portal_auth
from customers.models import Order, Shipment, TrackingEvent


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Sähköpostiosoite"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={
            "required": gettext_lazy("Anna sähköpostiosoitteesi."),
            "invalid": gettext_lazy("Anna sähköpostiosoite muodossa nimi@esimerkki.fi."),
        },
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Kirjautumiskoodi"),
        regex=r"^\s*[0-9]{6}\s*$",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "6"}
        ),
        error_messages={
            "required": gettext_lazy("Anna sähköpostiisi lähetetty koodi."),
            "invalid": gettext_lazy("Koodissa on kuusi numeroa."),
        },
    )


def portal_required(view: Callable) -> Callable:
    """Run the view with the logged-in customer, or send the visitor to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        customer = portal_auth.portal_customer(request)
        if customer is None:
            return redirect("portal:login")
        request.customer = customer
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Ask for the email address and mail a code if it belongs to a customer."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            portal_auth.request_login_code(
                email=email, client=portal_auth.client_address(request), language=get_language()
            )
        except portal_auth.Throttled as exc:
            form.add_error(None, str(exc))
            return render(request, "portal/login.html", {"form": form}, status=429)
        request.session["portal_login_email"] = email.strip().lower()
        return redirect("portal:login_code")
    return render(request, "portal/login.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Take the mailed code and log the customer in."""
    email = request.session.get("portal_login_email")
    if not email:
        return redirect("portal:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            customer = portal_auth.verify_login_code(
                email=email,
                code=form.cleaned_data["code"],
                client=portal_auth.client_address(request),
            )
        except portal_auth.Throttled as exc:
            form.add_error("code", str(exc))
            return render(request, "portal/code.html", {"form": form, "email": email}, status=429)
        except portal_auth.LoginError as exc:
            form.add_error("code", str(exc))
        else:
            request.session.pop("portal_login_email", None)
            portal_auth.start_session(request, customer)
            return redirect("portal:details")
    return render(request, "portal/code.html", {"form": form, "email": email})


@never_cache
@require_http_methods(["GET", "POST"])
def login_link(request: HttpRequest, token: str) -> HttpResponse:
    """Log in with the mailed link; a button press confirms, so link scanners don't use it up."""
    if request.method == "POST":
        try:
            customer = portal_auth.verify_login_link(token=token)
        except portal_auth.LoginError as exc:
            messages.error(request, str(exc))
            return redirect("portal:login")
        portal_auth.start_session(request, customer)
        return redirect("portal:details")
    return render(request, "portal/link.html", {})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the portal session."""
    portal_auth.end_session(request)
    messages.success(request, _("Olet kirjautunut ulos."))
    return redirect("portal:login")


@portal_required
def details(request: HttpRequest) -> HttpResponse:
    """Show the customer's contact details."""
    return render(request, "portal/details.html", {"customer": request.customer})


@portal_required
def orders(request: HttpRequest) -> HttpResponse:
    """Show the customer's orders with lines, totals, shipments and tracking events."""
    shipments = Shipment.objects.prefetch_related(
        Prefetch("events", queryset=TrackingEvent.objects.order_by("occurred_at", "id"))
    )
    order_list = (
        Order.objects.filter(customer=request.customer)
        .prefetch_related("lines", Prefetch("shipments", queryset=shipments))
        .order_by("-ordered_at")
    )
    return render(request, "portal/orders.html", {"orders": order_list})


def portal_home(request: HttpRequest) -> HttpResponse:
    """Send the visitor to their details or to the login page."""
    return redirect(reverse("portal:details"))
