"""The customer's self-service portal: login, details, orders, marketing, data and requests.

Every page finds its data through the logged-in customer (`portal_required` sets
`request.customer` from the session), never through an id in the URL alone; the one URL that
names a request looks it up among the customer's own. Views parse input, call one service from
`portal.services` (or `portal.auth`) and render or redirect.
"""

from collections.abc import Callable
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from customers import unsubscribe as opt_out
from customers.marketing import choices as marketing_choices
from customers.models import Customer
from portal import auth, order_history, services
from portal import details as my_details
from portal.forms import (
    CodeForm,
    CorrectionRequestForm,
    DetailsForm,
    EmailCodeForm,
    EmailForm,
    ErasureForm,
    MarketingForm,
    RequestForm,
)
from privacy.dates import date_text
from privacy.network import client_address
from rights.access import (
    PACKAGE_FILES,
    PACKAGE_LIFETIME,
    packages_being_built,
    record_package_download,
)
from rights.erasure import plan_erasure
from rights.models import AccessPackage, DataSubjectRequest
from statement import cache as statement_cache
from statement.models import Controller, StatementVersion

ORDERS_PER_PAGE = 20
# Opt-out link POSTs allowed per client address in the rate-limit window. Higher than the login
# link's: mail providers send their users' one-click requests from a few shared addresses, and
# the token is an HMAC nobody can guess; the limit only stops a client from flooding.
UNSUBSCRIBES_PER_CLIENT = 200
PENDING_EMAIL_KEY = "portal_new_email"


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render a portal page with what every page shows: the shop and the current statement.

    Those two are read from the cache, replaced when a statement is published or the
    controller's details change (statement.cache).
    """
    context = {
        **statement_cache.page_furniture(),
        "languages": _languages(request),
        "portal_urls": _portal_urls(get_language()),
        **context,
    }
    return render(request, template, context, status=status)


@lru_cache(maxsize=8)
def _portal_urls(language: str) -> dict[str, str]:
    """Return the addresses every portal page links to, in a language (reversed once)."""
    names = ["logout", "details", "orders", "marketing", "download", "erase", "requests"]
    urls = {name: reverse(f"portal:{name}") for name in names}
    urls["statement"] = reverse("statement:current")
    urls["statement_pdf"] = reverse("statement:pdf")
    return urls


def portal_required(view: Callable) -> Callable:
    """Run the view with the logged-in customer, or send the visitor to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        customer_id = auth.portal_customer_id(request)
        if customer_id is None:
            return redirect("portal:login")
        request.customer_id = customer_id
        # Loaded when the view first uses it: the orders page needs only the id.
        request.customer = SimpleLazyObject(lambda: Customer.objects.get(pk=customer_id))
        # A logged-in customer's every change is a written row (consent events, requests,
        # corrections): a script replaying a form cannot pile them up without limit.
        if request.method == "POST" and auth.hit_rate_limit(
            f"portal-write:{customer_id}", auth.WRITES_PER_CUSTOMER
        ):
            return _throttled(request)
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _throttled(request: HttpRequest) -> HttpResponse:
    """Answer 429 with the portal's "too many requests" page."""
    message = _("Liian monta pyyntöä. Odota 15 minuuttia ja yritä sitten uudelleen.")
    return _page(request, "portal/throttled.html", {"message": message}, status=429)


def _posted(request: HttpRequest):
    """Return the submitted data, or None for a GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _served_languages() -> list[str]:
    """Return the languages the shop serves: those its statement in force is published in."""
    statement = statement_cache.page_furniture()["statement"] or {}
    served = statement.get("snapshot__languages")
    return list(served) if served else [code for code, _name in settings.LANGUAGES]


def _languages(request: HttpRequest) -> list[dict]:
    """Return the language switch: this page's address in each language the shop serves."""
    current = get_language()
    served = _served_languages()
    path, mark, query = request.get_full_path().partition("?")
    return [
        {
            "code": code,
            "name": capfirst(get_language_info(code)["name_local"]),
            "url": _translated_path(path, code) + mark + query,
            "is_current": code == current,
        }
        for code, _name in settings.LANGUAGES
        if code in served
    ]


@lru_cache(maxsize=512)
def _translated_path(path: str, language: str) -> str:
    """Return a portal path in another language (a URL resolve and reverse, so remembered)."""
    return translate_url(path, language)


def _tell_due_date(request: HttpRequest, filed: DataSubjectRequest, message: str) -> None:
    """Tell the customer their request was received and by when it is answered."""
    messages.success(request, message % {"date": date_text(filed.due_date)})


def _validation_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# Login and logout.


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Ask for the email address and mail a code if it belongs to a customer."""
    form = EmailForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            auth.request_login_code(
                email=email, client=client_address(request), language=get_language()
            )
        except auth.Throttled as exc:
            form.add_error(None, str(exc))
            return _page(request, "portal/login.html", {"form": form}, status=429)
        request.session["portal_login_email"] = email.strip().lower()
        return redirect("portal:login_code")
    return _page(request, "portal/login.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Take the mailed code and log the customer in."""
    email = request.session.get("portal_login_email")
    if not email:
        return redirect("portal:login")
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            customer = auth.verify_login_code(
                email=email,
                code=form.cleaned_data["code"],
                client=client_address(request),
            )
        except auth.Throttled as exc:
            form.add_error("code", str(exc))
            return _page(request, "portal/code.html", {"form": form, "email": email}, status=429)
        except auth.LoginError as exc:
            form.add_error("code", str(exc))
        else:
            request.session.pop("portal_login_email", None)
            auth.start_session(request, customer)
            return redirect("portal:details")
    return _page(request, "portal/code.html", {"form": form, "email": email})


@never_cache
@require_http_methods(["GET", "POST"])
def login_link(request: HttpRequest) -> HttpResponse:
    """Log in with the mailed link; a button press confirms, so link scanners don't use it up.

    The link's token is in the query string, which the access logs leave out (gunicorn's and
    nginx's formats, docs/deploy.md); the page passes it on in the form, posts to its own path
    without the query, and sends no Referer, so the token reaches no log line.
    """
    if request.method == "POST":
        if auth.hit_rate_limit(f"verify-client:{client_address(request)}", auth.VERIFY_PER_CLIENT):
            return _throttled(request)
        try:
            customer = auth.verify_login_link(token=request.POST.get("token", ""))
        except auth.LoginError as exc:
            messages.error(request, str(exc))
            return redirect("portal:login")
        auth.start_session(request, customer)
        return redirect("portal:details")
    token = request.GET.get(auth.LINK_PARAMETER, "")
    response = _page(request, "portal/link.html", {"token": token})
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End the portal session."""
    auth.end_session(request)
    messages.success(request, _("Olet kirjautunut ulos."))
    return redirect("portal:login")


def portal_home(request: HttpRequest) -> HttpResponse:
    """Send the visitor to their details or to the login page."""
    return redirect("portal:details")


# My details.


@portal_required
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    """Show every detail the register keeps of the customer; change those they may change."""
    customer = request.customer
    form = DetailsForm(_posted(request), customer=customer)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.change_details(
                customer=customer, changes=form.changes(), language=get_language()
            )
        except auth.Throttled as exc:
            form.add_error("email", str(exc))
        except ValidationError as exc:
            for message in _validation_messages(exc):
                form.add_error(None, message)
        else:
            if result.applied:
                messages.success(request, _("Tietosi on päivitetty."))
            if result.pending_email:
                # Kept in the session, not read back from the codes: when the address belongs to
                # someone else no code exists, and the next page must look the same anyway.
                request.session[PENDING_EMAIL_KEY] = result.pending_email
                return redirect("portal:email_confirm")
            return redirect("portal:details")
    groups = my_details.my_details(customer)
    for group in groups:
        for row in group.own:
            row.field = form[row.name]
    context = {
        "form": form,
        "customer": customer,
        "groups": groups,
        "pending": services.pending_corrections(customer),
        "pending_email": request.session.get(PENDING_EMAIL_KEY, ""),
    }
    return _page(request, "portal/details.html", context, status=400 if form.errors else 200)


@portal_required
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, field: str) -> HttpResponse:
    """Ask staff to correct one detail the customer cannot change themselves (GDPR Art. 16)."""
    field_name = my_details.correction_slugs().get(field)
    if field_name is None:
        raise Http404
    customer = request.customer
    form = CorrectionRequestForm(_posted(request), customer=customer, field_name=field_name)
    if request.method == "POST" and form.is_valid():
        try:
            filed = my_details.request_correction(
                customer=customer,
                field_name=field_name,
                new_value=form.cleaned_data["new_value"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in _validation_messages(exc):
                form.add_error("new_value", message)
        else:
            _tell_due_date(
                request,
                filed,
                _(
                    "Korjauspyyntösi on vastaanotettu. Käsittelemme sen viimeistään %(date)s ja "
                    "kerromme ratkaisusta sähköpostitse."
                ),
            )
            return redirect("portal:details")
    context = {
        "form": form,
        "label": my_details.field_label(field_name),
        "value": my_details.shown_value(field_name, getattr(customer, field_name)),
    }
    return _page(request, "portal/correction.html", context, status=400 if form.errors else 200)


@portal_required
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest) -> HttpResponse:
    """Take the code mailed to the new address and make it the customer's address."""
    customer = request.customer
    new_email = request.session.get(PENDING_EMAIL_KEY, "")
    form = EmailCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_email_change(
                customer=customer, code=form.cleaned_data["code"], language=get_language()
            )
        except auth.LoginError as exc:
            form.add_error("code", str(exc))
        except ValidationError as exc:
            for message in _validation_messages(exc):
                form.add_error("code", message)
        else:
            request.session.pop(PENDING_EMAIL_KEY, None)
            messages.success(request, _("Sähköpostiosoitteesi on vaihdettu."))
            return redirect("portal:details")
    elif not new_email:
        return redirect("portal:details")
    return _page(request, "portal/email_confirm.html", {"form": form, "new_email": new_email})


# Orders and deliveries.


@portal_required
def orders(request: HttpRequest) -> HttpResponse:
    """Show the customer's orders, a page at a time, with lines, shipments and tracking events.

    The same queries for any number of orders: one on PostgreSQL (portal.order_history).
    """
    page = order_history.orders_page(request.customer_id, request.GET.get("sivu"), ORDERS_PER_PAGE)
    return _page(request, "portal/orders.html", {"page": page, "orders": page.object_list})


# Marketing.


@portal_required
@require_http_methods(["GET", "POST"])
def marketing(request: HttpRequest) -> HttpResponse:
    """Show and change the total ban and a Kyllä/Ei per declared purpose and channel."""
    customer = request.customer
    choices = marketing_choices.offered_choices(customer)
    state = marketing_choices.marketing_state(customer, choices)
    wordings = services.consent_wordings()
    form = MarketingForm(_posted(request), choices=choices, state=state, wordings=wordings)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.update_marketing_choices(
                customer=customer,
                total=form.cleaned_data["total"],
                switches=form.switches(),
                # What the page showed: a consent is recorded only with the words it showed.
                shown_wordings=request.POST.get("wordings"),
            )
        except ValidationError as exc:
            for message in _validation_messages(exc):
                form.add_error(None, message)
        else:
            if change.replaced:
                messages.info(
                    request,
                    _(
                        "Kielto korvasi suostumuksesi: %(consents)s. Suostumus ja kielto "
                        "samaan asiaan eivät voi olla voimassa yhtä aikaa."
                    )
                    % {"consents": ", ".join(change.replaced)},
                )
            if change.changed:
                messages.success(request, _("Markkinointivalintasi on tallennettu."))
            else:
                messages.info(request, _("Et muuttanut valintojasi."))
            return redirect("portal:marketing")
    # The version the choices are recorded with, read now rather than from the cache.
    context = {
        "form": form,
        "wordings": services.wordings_digest(wordings),
        "channels": services.marketing_now(customer),
        "statement": StatementVersion.latest(),
    }
    return _page(request, "portal/marketing.html", context, status=400 if form.errors else 200)


# The opt-out link of a marketing message.


@never_cache
@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no cookie; the token is the key.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Ask to confirm the ban a signed link names (GET); record it without a login (POST).

    A GET never records anything, so a link scanner that opens every link bans nobody. The POST
    is the page's one button or a mail client's RFC 8058 one-click request; both get the same
    answer, with no redirect.
    """
    context: dict = {"token": token}
    try:
        if request.method == "POST":
            if auth.hit_rate_limit(
                f"unsubscribe-client:{client_address(request)}", UNSUBSCRIBES_PER_CLIENT
            ):
                return _throttled(request)
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            result = opt_out.unsubscribe(token=token, one_click=one_click, request=request)
            context.update(link=result.link, done=True)
        else:
            context.update(link=opt_out.read_token(token))
    except opt_out.ExpiredLink:
        return _page(request, "portal/unsubscribe.html", {"expired": True}, status=410)
    except opt_out.InvalidLink:
        return _page(request, "portal/unsubscribe.html", {"invalid": True}, status=400)
    return _page(request, "portal/unsubscribe.html", context)


# Download my data.


@portal_required
@require_http_methods(["GET", "POST"])
def download(request: HttpRequest) -> HttpResponse:
    """Start building the customer's access package; list those being built and those ready."""
    customer = request.customer
    error = ""
    if request.method == "POST":
        try:
            case = services.download_my_data(customer=customer)
        except auth.Throttled as exc:
            error = str(exc)
        else:
            if case.access_packages.exists():
                messages.success(request, _("Tietopakettisi on valmis. Lataa tiedostot alta."))
            else:
                messages.success(
                    request,
                    _(
                        "Tietopakettiasi muodostetaan. Pitkän asiointihistorian kokoaminen voi "
                        "kestää hetken: päivitä tämä sivu, niin näet, onko se valmis."
                    ),
                )
            return redirect("portal:download")
    context = {
        "packages": services.live_packages(customer),
        "being_built": packages_being_built(customer),
        "lifetime_days": PACKAGE_LIFETIME.days,
        "error": error,
    }
    return _page(request, "portal/download.html", context, status=429 if error else 200)


# Erase my data.


@portal_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    """Explain what erasure does to the customer's data and file the request when confirmed."""
    customer = request.customer
    form = ErasureForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        filed = services.request_erasure(customer=customer)
        _tell_due_date(
            request,
            filed,
            _("Poistopyyntösi on vastaanotettu. Käsittelemme sen viimeistään %(date)s."),
        )
        return redirect("portal:requests")
    context = {
        "form": form,
        "summary": services.describe_erasure(plan_erasure(customer=customer), customer),
        "open_request": services.open_request(customer, DataSubjectRequest.Kind.ERASURE),
    }
    return _page(request, "portal/erase.html", context, status=400 if form.errors else 200)


# My requests.


@portal_required
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    """List the customer's requests with status, due date and decision; file a new one."""
    customer = request.customer
    form = RequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        filed = services.file_my_request(
            customer=customer,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
        )
        _tell_due_date(
            request, filed, _("Pyyntösi on vastaanotettu. Käsittelemme sen viimeistään %(date)s.")
        )
        return redirect("portal:requests")
    context = {"form": form, "requests": services.my_requests(customer)}
    return _page(request, "portal/requests.html", context, status=400 if form.errors else 200)


@portal_required
@require_POST
def request_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw one of the customer's own open requests."""
    try:
        services.withdraw_my_request(customer=request.customer, code=code)
    except DataSubjectRequest.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Pyyntösi on peruttu."))
    return redirect("portal:requests")


def landing(request: HttpRequest) -> HttpResponse:
    """Show the shop's front page with links to the statement and the portal."""
    return render(request, "portal/landing.html", {"controller": Controller.current()})


@require_GET
def download_access_package(request: HttpRequest, token: str, kind: str) -> FileResponse:
    """Send one file of a live package to the logged-in customer it belongs to."""
    customer_id = auth.portal_customer_id(request)
    package = AccessPackage.objects.filter(token=token).first()
    # The same answer for a wrong token, someone else's package and an expired one.
    if customer_id is None or package is None or package.customer_id != customer_id:
        raise Http404
    if kind not in PACKAGE_FILES:
        raise Http404
    try:
        stored = record_package_download(package=package, file_kind=kind)
    except AccessPackage.DoesNotExist:
        raise Http404 from None
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"tiedot.{kind}")
