"""The staff panel's own pages outside the model admins: audiences and TOTP enrolment.

The staff site (staff.site) routes to these; model admins (staff.admin) register on that site,
so this module never imports them.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login

from customers.audiences import (
    COLUMNS,
    PUBLICATION_COLUMNS,
    SCREENED_CHANNELS,
    export_audience,
    export_publication_list,
)
from customers.marketing import (
    BASIS_BUSINESS,
    BASIS_CONSENT,
    BASIS_EXISTING_CUSTOMER,
    BASIS_NOT_REFUSED,
    MINIMUM_AGE,
    USE_MARKETING,
    USES,
    channel_rule,
    publication_rule,
    use_rule,
    use_rules,
)
from customers.models import BanRegisterImport, Channel, Customer
from privacy.vocabulary import REFERENCE_LIST
from staff.accounts import (
    confirm_totp_enrolment,
    enrolment_deadline,
    pending_enrolment,
    qr_svg,
    secret_for_manual_entry,
)
from statement.purposes import in_use

PERMISSION = "privacy.export_audience"


def _require_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


# What the `basis` column's values mean, for the page that explains the files.
BASIS_MEANINGS = {
    BASIS_CONSENT: gettext_lazy("Henkilö on antanut suostumuksen tähän kanavaan."),
    BASIS_EXISTING_CUSTOMER: gettext_lazy(
        "Asiakas, jolle kerrottiin ostoksen yhteydessä: vain omia vastaavia tuotteita, ja "
        "jokaisessa viestissä on oltava peruutuslinkki (laki sähköisen viestinnän palveluista "
        "200 § 2 mom.)."
    ),
    BASIS_BUSINESS: gettext_lazy(
        "Yritysasiakas, joka ei ole kieltänyt viestejä: viestin on koskettava yrityksen "
        "toimintaa (laki sähköisen viestinnän palveluista 917/2014)."
    ),
    BASIS_NOT_REFUSED: gettext_lazy(
        "Posti ja puhelin: henkilö ei ole kieltänyt markkinointia, ja lista on karsittu "
        "rajoituspalvelun listaa vasten, jos se on tuotu."
    ),
}


# The audience files' columns that are not the customer's fields, named for the page.
LINK_COLUMN_LABELS = {
    "basis": gettext_lazy("peruste"),
    "unsubscribe_url": gettext_lazy("peruutuslinkki"),
    "list_unsubscribe": gettext_lazy("List-Unsubscribe-otsake"),
    "list_unsubscribe_post": gettext_lazy("List-Unsubscribe-Post-otsake"),
}


def column_labels(columns: list[str]) -> list[str]:
    """Return an audience file's columns as the page names them (the fields' own labels)."""
    return [
        str(LINK_COLUMN_LABELS.get(name) or Customer._meta.get_field(name).verbose_name)
        for name in columns
    ]


def audience_index(request: HttpRequest) -> HttpResponse:
    """List the channels and uses whose audiences the marketing role may export."""
    _require_permission(request)
    lists = {
        service: BanRegisterImport.objects.filter(service=service).order_by("-imported_at").first()
        for service in SCREENED_CHANNELS.values()
    }
    channels = [
        {
            "value": c.value,
            "label": c.label,
            "columns": column_labels(COLUMNS[c.value]),
            "latest": lists.get(SCREENED_CHANNELS.get(c.value)),
            "rule": channel_rule(c.value),
        }
        for c in Channel
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Markkinointiyleisöt"),
        "channels": channels,
        "uses": [
            {
                "key": use.key,
                "label": use.label,
                "is_marketing": use is USE_MARKETING,
                "rule": use_rule(use),
                "channel_rules": use_rules(use) if use.key == "research" else "",
            }
            for use in USES.values()
            # A use whose purpose the statement in force switched off forms no audience.
            if use.purpose is None or in_use(use.purpose)
        ],
        "publication": in_use(REFERENCE_LIST),
        "publication_rule": publication_rule(),
        "bases": list(BASIS_MEANINGS.items()),
        "minimum_age": MINIMUM_AGE,
        "publication_columns": column_labels(PUBLICATION_COLUMNS),
        "screened": SCREENED_CHANNELS,
        "can_import": request.user.has_perm("customers.add_banregisterimport"),
    }
    return TemplateResponse(request, "admin/audiences.html", context)


def _csv_response(lines, name: str) -> StreamingHttpResponse:
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def audience_export(
    request: HttpRequest, channel: str, use: str = USE_MARKETING.key
) -> StreamingHttpResponse:
    """Stream one channel's audience for a use as CSV; audited with criteria and count."""
    _require_permission(request)
    if channel not in COLUMNS or use not in USES:
        raise Http404
    name = f"yleiso-{channel}" if use == USE_MARKETING.key else f"yleiso-{use}-{channel}"
    try:
        lines = export_audience(actor=request.user, channel=channel, use=use, request=request)
    except ValidationError as exc:
        return _refused(request, exc)
    return _csv_response(lines, name)


def publication_list_export(request: HttpRequest) -> HttpResponse:
    """Stream the business customers that may be named in a published list; audited."""
    _require_permission(request)
    try:
        lines = export_publication_list(actor=request.user, request=request)
    except ValidationError as exc:
        return _refused(request, exc)
    return _csv_response(lines, "asiakasluettelo")


def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Back to the audiences with why an export was refused (a purpose switched off)."""
    for message in exc.messages:
        messages.error(request, message)
    return HttpResponseRedirect(reverse("admin:audiences"))


class EnrolmentForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Sovelluksen näyttämä koodi"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@never_cache
@csrf_protect
def totp_enrolment(request: HttpRequest) -> HttpResponse:
    """Let a staff member with an open enrolment confirm their authenticator app, then log in."""
    device = pending_enrolment(request.user)
    if device is None:
        return HttpResponseRedirect(reverse("admin:index"))
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = confirm_totp_enrolment(
                user=request.user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            # The session is now fully verified: a new key, as a login gives.
            request.session.cycle_key()
            otp_login(request, device)
            messages.success(
                request,
                gettext("Kaksivaiheinen tunnistautuminen on käytössä. Tervetuloa."),
            )
            return HttpResponseRedirect(reverse("admin:index"))
    context = {
        **admin.site.each_context(request),
        "title": gettext("Kaksivaiheisen tunnistautumisen käyttöönotto"),
        "form": form,
        "qr_code": qr_svg(device.config_url),
        "secret": secret_for_manual_entry(device),
        "deadline": enrolment_deadline(device),
        "is_nav_sidebar_enabled": False,
    }
    return TemplateResponse(request, "admin/totp_enrolment.html", context)


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Answer a login that django-axes locked out: in the staff panel's language, with the time.

    Every attempt during a lockout starts the cool-off again (axes' default), so the lockout ends
    AXES_COOLOFF_TIME from now.
    """
    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": _("Kirjautuminen on estetty hetkeksi"),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cooloff.total_seconds() // 60),
        "until": timezone.localtime() + cooloff,
    }
    return render(request, "admin/lockout.html", context, status=429)
