"""What a customer does in the self-service portal, composed of the register's own services.

Each public function is one thing the customer does. It files the request case the law asks for
(GDPR Art. 12 and 15–21) with the portal login recorded as the identity check (Art. 12(6)), and
leaves the work to the request, access, erasure and consent services, so the portal follows
exactly the rules that the staff panel and the API follow.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from customers import marketing
from customers.marketing import choices as marketing_choices
from customers.marketing.choices import Choice, Switch
from customers.models import (
    BanChannel,
    ConsentEvent,
    ConsentWording,
    Customer,
    MarketingBan,
)
from customers.services import (
    consent_state,
    lift_marketing_ban,
    record_consent,
    set_marketing_ban,
)
from portal import auth
from portal.details import field_label, shown_value
from privacy.dates import date_text
from privacy.declaration import Erasure
from privacy.vocabulary import (
    KEEP_AS_AUTHORITY_RECORD,
    KEEP_AS_CONSENT_PROOF,
    KEEP_FOR_ACCOUNTING,
    KEEP_FOR_MARKETING_BAN,
    KEEP_ON_ANONYMOUS_ROW,
)
from rights.access import packages_being_built
from rights.cases import fulfil_request, receive_portal_request, withdraw_request
from rights.corrections import change_own_details
from rights.erasure import ErasurePlan, wants_suppression
from rights.models import OPEN_STATUSES, AccessPackage, CorrectionItem, DataSubjectRequest
from rights.personal_data import KEEP_AS_CASE_RECORD, KEEP_AS_ERASURE_PROOF
from statement.models import StatementVersion

Kind = DataSubjectRequest.Kind

# Requests the customer may file in their own words; access, correction and erasure have pages.
FREE_FORM_KINDS = (Kind.RESTRICTION, Kind.OBJECTION)
# Building a package renders a PDF; a few an hour is plenty for a person, and bounds the cost.
PACKAGES_PER_HOUR = 3


@dataclass
class DetailsChange:
    """What a change of details did: applied at once, or waiting for a code to the new address."""

    applied: bool = False
    pending_email: str = ""


def change_details(*, customer: Customer, changes: dict[str, str], language: str) -> DetailsChange:
    """Change the customer's own details at once, as the declaration lets them (GDPR Art. 16).

    No request is filed and no letter sent: the change is audited and the recipients of an old
    value are listed to be told (rights.corrections.change_own_details). A new email address
    waits for the code mailed to it. `changes` holds only changed self-service fields. Raises
    Throttled before anything is saved when too many address changes were asked for.
    """
    result = DetailsChange()
    changes = dict(changes)
    if new_email := changes.pop("email", None):
        # Asked first: when this is refused, nothing else has been saved either.
        auth.request_email_change(customer=customer, new_email=new_email, language=language)
        result.pending_email = new_email
    if changes:
        change_own_details(customer=customer, changes=changes)
        result.applied = True
    return result


def confirm_email_change(*, customer: Customer, code: str, language: str) -> str:
    """Replace the customer's address with the new one the code confirms; return the new one.

    A wrong code counts as a try even though LoginError is raised (see portal.auth).
    """
    new_email = auth.verify_email_change_code(customer=customer, code=code)
    old_email = customer.email
    change_own_details(customer=customer, changes={"email": new_email})
    auth.notify_email_changed(old_email=old_email, new_email=new_email, language=language)
    return new_email


def _labelled(items) -> list[CorrectionItem]:
    """Return correction items with `field_label` and the values as the customer reads them."""
    items = list(items)
    for item in items:
        item.field_label = field_label(item.field_name)
        item.old_shown = shown_value(item.field_name, item.old_value)
        item.new_shown = shown_value(item.field_name, item.new_value)
    return items


def pending_corrections(customer: Customer) -> list[CorrectionItem]:
    """Return the customer's proposed changes still waiting for a decision."""
    return _labelled(
        CorrectionItem.objects.filter(
            request__customer=customer,
            request__status__in=OPEN_STATUSES,
            state=CorrectionItem.State.PROPOSED,
        ).order_by("id")
    )


# Marketing: one yes or no per declared purpose and channel, and the total ban.


def marketing_now(customer: Customer) -> list[tuple[str, str]]:
    """Return, per channel, whether and why the customer is marketed to (the rule's own words)."""
    return marketing.customer_channels(customer)


# The wording of each consent switch, {(consent purpose, channel): text}.
Wordings = dict[tuple[str, str], str]


def consent_wordings() -> Wordings:
    """Return the wording of each consent switch in the active language, as the page shows it.

    The shop's own words (ConsentWording, edited in the staff panel), Finnish where a language
    has none.
    """
    return ConsentWording.objects.texts((get_language() or "fi").split("-")[0])


def wordings_digest(wordings: Wordings) -> str:
    """Return a short digest naming the wordings a page showed (posted back with the choices)."""
    text = "\n".join(
        f"{purpose}|{channel}|{wording}" for (purpose, channel), wording in sorted(wordings.items())
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def switch_label(choice: Choice, channel: str, wordings: Wordings) -> str:
    """Return the words on a switch itself.

    A consent switch has the shop's wording of its purpose and channel; the others the channel,
    or the purpose where it has no channel.
    """
    if choice.consent_purpose and (text := wordings.get((choice.consent_purpose, channel))):
        return text
    if channel == BanChannel.ALL:
        return str(choice.question)
    return capfirst(BanChannel(channel).label)


def switch_wording(choice: Choice, channel: str, wordings: Wordings) -> str:
    """Return a switch as the customer reads it, and a consent through it records.

    A purpose asked by channel is a heading with a switch per channel under it: the heading and
    the switch's words ("Tarjoukset ja uutiskirjeet meiltä – Sähköposti"). A switch alone is
    its own words.
    """
    label = switch_label(choice, channel, wordings)
    return f"{choice.question} – {label}" if len(choice.channels) > 1 else label


@dataclass
class MarketingChange:
    """What saving the marketing page did: how many records, and what a ban replaced."""

    changed: int = 0
    # The switches whose consent, in force or asked for now, a ban replaced, in page order.
    replaced: list[str] = field(default_factory=list)


def _lift(customer: Customer, scopes, channels, bans: set[tuple[str, str]]) -> int:
    lifted = 0
    for scope, channel in sorted(bans):
        if scope in scopes and channel in channels:
            lift_marketing_ban(customer=customer, channel=channel, scope=scope)
            lifted += 1
    return lifted


def _set_switch(
    *,
    customer: Customer,
    choice: Choice,
    channel: str,
    wanted: bool,
    version,
    consented: bool,
    wordings: Wordings,
) -> int:
    """Make one switch say `wanted`: a consent or its withdrawal, a ban or its lifting."""
    bans = active_bans(customer)
    if wanted:
        # Lifts the bans that stop it through this channel (a channel-less one: all of them).
        channels = BanChannel.values if channel == BanChannel.ALL else [channel]
        changed = _lift(customer, choice.blocked_by, channels, bans)
        # Consent where it is the basis; elsewhere only where a withdrawn consent still refuses.
        if choice.needs_consent(channel) or (
            choice.consent_purpose
            and not marketing_choices.marketing_state(customer, [choice]).switches[
                (choice.key, channel)
            ]
        ):
            record_consent(
                customer=customer,
                purpose=choice.consent_purpose,
                channel=channel,
                is_granted=True,
                via=ConsentEvent.Via.PORTAL,
                statement_version=version,
                wording=switch_wording(choice, channel, wordings),
            )
            changed += 1
        return changed
    if consented and choice.needs_consent(channel):
        # Consent is the basis: "no" withdraws it (every purpose the use counts as consent).
        granted = consent_state(customer, purposes=choice.consent_purposes, channels=[channel])
        for purpose, _channel in sorted(k for k, v in granted.items() if v):
            record_consent(
                customer=customer,
                purpose=purpose,
                channel=channel,
                is_granted=False,
                via=ConsentEvent.Via.PORTAL,
                statement_version=version,
                wording=switch_wording(choice, channel, wordings),
            )
        return len(granted)
    # Legitimate interest is the basis: "no" is an objection (GDPR Art. 21), which also
    # withdraws the consents it contradicts.
    set_marketing_ban(
        customer=customer,
        channel=channel,
        scope=choice.ban_scope,
        via=ConsentEvent.Via.PORTAL,
        statement_version=version,
    )
    return 1


def active_bans(customer: Customer) -> set[tuple[str, str]]:
    """Return the customer's bans in force as (scope, channel) pairs."""
    return set(
        MarketingBan.objects.filter(customer=customer, lifted_at__isnull=True).values_list(
            "scope", "channel"
        )
    )


@transaction.atomic
def update_marketing_choices(
    *,
    customer: Customer,
    total: bool,
    switches: dict[Switch, bool],
    shown_wordings: str | None = None,
) -> MarketingChange:
    """Record what changed on the marketing page, with the current statement version.

    `total` is the total direct-marketing ban (GDPR Art. 21(3)): set, it bans all direct
    marketing and withdraws every marketing consent, and the switches under it say "no" whatever
    was posted; lifted, it restores no consent, and each switch under it keeps saying "no" unless
    the customer said "yes" to it (a ban per channel keeps it so where no consent is needed). A
    switch saying what is already in force records nothing, so a ban or consent the customer
    did not touch stays. A consent records the wording its switch shows now; `shown_wordings`,
    the digest of the wordings the page showed (wordings_digest), refuses the change when the
    shop has edited them since. Raises ValidationError (a child under 13 cannot consent, the
    wordings changed) with nothing saved.
    """
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    wordings = consent_wordings()
    if shown_wordings is not None and shown_wordings != wordings_digest(wordings):
        raise ValidationError(
            _(
                "Suostumusten sanamuotoja muutettiin sillä välin, kun sivu oli auki. Lue "
                "valinnat uusin sanoin ja tallenna ne uudelleen."
            ),
            code="wordings_changed",
        )
    version = StatementVersion.latest()
    choices = marketing_choices.offered_choices(customer)
    before = marketing_choices.marketing_state(customer, choices)
    wanted = dict(switches)
    result = MarketingChange()
    if total:
        for choice in choices:
            for channel in choice.channels if choice.under_total else ():
                wanted[(choice.key, channel)] = False
        if not before.total:
            scope, channel = marketing_choices.TOTAL_BAN
            set_marketing_ban(
                customer=customer,
                channel=channel,
                scope=scope,
                via=ConsentEvent.Via.PORTAL,
                statement_version=version,
            )
            result.changed += 1
    elif before.total:
        result.changed += _lift(
            customer, marketing_choices.TOTAL_SCOPES, [BanChannel.ALL], active_bans(customer)
        )
    # A channel-less ban of a purpose asked per channel is lifted when one channel says "yes";
    # the channels that still say "no" get a ban of their own below.
    for choice in choices:
        if choice.under_total or choice.channels == (BanChannel.ALL,):
            continue
        if any(wanted.get((choice.key, c)) for c in choice.channels):
            result.changed += _lift(
                customer, choice.blocked_by, [BanChannel.ALL], active_bans(customer)
            )
    now = marketing_choices.marketing_state(customer, choices)
    for choice in choices:
        for channel in choice.channels:
            key = (choice.key, channel)
            if key not in wanted or wanted[key] == now.switches[key]:
                continue
            result.changed += _set_switch(
                customer=customer,
                choice=choice,
                channel=channel,
                wanted=wanted[key],
                version=version,
                consented=key in now.consented,
                wordings=wordings,
            )
    after = marketing_choices.marketing_state(customer, choices)
    result.replaced = [
        switch_wording(choice, channel, wordings)
        for choice in choices
        for channel in choice.channels
        if (key := (choice.key, channel)) in after.banned
        and (key in before.consented or switches.get(key))
    ]
    return result


# Access (GDPR Art. 15 and 20).


def live_packages(customer: Customer) -> list[AccessPackage]:
    """Return the customer's access packages that can still be downloaded, newest first."""
    packages = AccessPackage.objects.filter(
        customer=customer, expires_at__gt=timezone.now()
    ).order_by("-created_at")
    # A package whose files are gone counts as expired (AccessPackage.is_expired).
    return [package for package in packages if not package.is_expired]


def download_my_data(*, customer: Customer) -> DataSubjectRequest:
    """File an access request and carry it out; return the request its package is built for.

    The package (JSON, ZIP and a PDF that may run to hundreds of pages) is built by the task
    worker, so the customer's click is answered at once whatever their history. A package that
    is still being built is returned rather than a second one started.

    Raises Throttled when the customer has asked for too many packages within an hour.
    """
    with transaction.atomic():
        # Locked, so that two presses at once cannot file two requests.
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        if waiting := packages_being_built(customer):
            return waiting[0]
        if auth.hit_rate_limit(f"access-package:{customer.pk}", PACKAGES_PER_HOUR, 3600):
            raise auth.Throttled(
                _(
                    "Olet jo muodostanut useita tietopaketteja. Lataa jokin alla olevista tai "
                    "yritä tunnin kuluttua uudelleen."
                )
            )
        request = receive_portal_request(customer=customer, kind=Kind.ACCESS)
        return fulfil_request(case=request)


# Erasure (GDPR Art. 17).


def open_request(customer: Customer, kind: str) -> DataSubjectRequest | None:
    """Return the customer's open request of a kind, if there is one, with its status in words."""
    found = customer.privacy_requests.open().filter(kind=kind).order_by("received_at").first()
    if found is not None:
        found.customer_status = customer_status(found)
    return found


@transaction.atomic
def request_erasure(*, customer: Customer) -> DataSubjectRequest:
    """File an erasure request, or return the one already waiting (a second press adds nothing)."""
    # Locked, so that two presses at once cannot file two requests.
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    return open_request(customer, Kind.ERASURE) or receive_portal_request(
        customer=customer, kind=Kind.ERASURE
    )


@dataclass
class KeptRecord:
    """One line of the erase page's table: what stays, until when, and why, in plain words."""

    what: str
    until: str
    why: str


@dataclass
class ErasureSummary:
    # Records erased at once and entirely.
    removed: list[str]
    kept: list[KeptRecord]
    suppressed: bool
    # Records part of which is kept (above, in `kept`): the rest of them is erased at once.
    partly: list[str] = field(default_factory=list)


# Each legal reason for keeping something, as the erase page says it: what stays (None: the kind
# of record), why, and until when when no date of the plan says it better (None: the plan's). A
# reason not named here is shown as the declaration words it.
PLAIN_KEPT = (
    (
        KEEP_FOR_ACCOUNTING,
        None,
        gettext_lazy("Kirjanpitolaki velvoittaa säilyttämään tositteet."),
        None,
    ),
    (
        KEEP_ON_ANONYMOUS_ROW,
        gettext_lazy("Asiakkuutesi alkamis- ja viimeisin asiointipäivä ilman nimeäsi"),
        gettext_lazy("Säilytettävät tositteet viittaavat niihin; ne eivät kerro, kuka olit."),
        gettext_lazy("niin kauan kuin tositteet säilytetään"),
    ),
    (
        KEEP_AS_CONSENT_PROOF,
        None,
        gettext_lazy("Meidän on voitava osoittaa, mihin annoit luvan."),
        None,
    ),
    (KEEP_FOR_MARKETING_BAN, None, gettext_lazy("Jotta markkinointikieltoasi noudatetaan."), None),
    (
        KEEP_AS_CASE_RECORD,
        None,
        gettext_lazy("Meidän on voitava osoittaa, miten käsittelimme pyyntösi."),
        None,
    ),
    (
        KEEP_AS_ERASURE_PROOF,
        None,
        gettext_lazy("Jotta poisto tehdään uudelleen, jos tiedot palautetaan varmuuskopiosta."),
        None,
    ),
    (
        KEEP_AS_AUTHORITY_RECORD,
        None,
        gettext_lazy("Meidän on voitava osoittaa, mitä viranomaiselle luovutettiin."),
        None,
    ),
)


def _record_title(model: str, name) -> str:
    return _("Asiakastietosi") if model == Customer._meta.label else capfirst(str(name))


def _plain_kept(item) -> tuple[str, str, str]:
    """Return what stays, why and (or "") until when, in plain words, for a kept plan item."""
    for reason, what, why, until in PLAIN_KEPT:
        if str(item.legal_reason) == str(reason):
            title = what or _record_title(item.model, item.model_name)
            return str(title), str(why), str(until or "")
    return _record_title(item.model, item.model_name), str(item.legal_reason), ""


def describe_erasure(plan: ErasurePlan, customer: Customer) -> ErasureSummary:
    """Say in plain words what erasure removes, and what stays, until when and why.

    What is kept for one reason makes one line, kept until the latest of its dates (or, with
    none, until what its rule says).
    """
    removed: dict[str, None] = {}
    kept: dict[str, tuple[dict, list, set]] = {}
    # A record kept in part (an order: the voucher stays, the delivery address goes) is named
    # apart, so the page never says it is both kept and erased.
    kept_models = {item.model for item in plan.items if item.action == Erasure.KEEP}
    partly: dict[str, None] = {}
    for item in plan.items:
        if item.action != Erasure.KEEP:
            title = _record_title(item.model, item.model_name)
            (partly if item.model in kept_models else removed).setdefault(title, None)
            continue
        what, why, until = _plain_kept(item)
        whats, dates, criteria = kept.setdefault(why, ({}, [], set()))
        whats.setdefault(what, None)
        if until:
            criteria.add(until)
        elif item.kept_until:
            dates.append(item.kept_until)
        elif item.criterion:
            criteria.add(str(item.criterion))
    rows = []
    for why, (whats, dates, criteria) in kept.items():
        if dates:
            until = _("%(date)s asti") % {"date": date_text(max(dates))}
        else:
            until = "; ".join(sorted(criteria))
        what = ", ".join(whats)
        rows.append(KeptRecord(capfirst(what.lower()), until, why))
    return ErasureSummary(
        removed=list(removed),
        kept=rows,
        suppressed=wants_suppression(customer=customer),
        partly=list(partly),
    )


# What a request's status means to the customer: received, being handled, done.
CUSTOMER_STATUS = {
    DataSubjectRequest.Status.RECEIVED: pgettext_lazy("pyynnön tila", "Vastaanotettu"),
    DataSubjectRequest.Status.IDENTITY_VERIFIED: pgettext_lazy("pyynnön tila", "Vastaanotettu"),
    DataSubjectRequest.Status.IN_PROGRESS: pgettext_lazy("pyynnön tila", "Käsittelyssä"),
    DataSubjectRequest.Status.COMPLETED: pgettext_lazy("pyynnön tila", "Valmis"),
    DataSubjectRequest.Status.REFUSED: pgettext_lazy("pyynnön tila", "Hylätty"),
    DataSubjectRequest.Status.WITHDRAWN: pgettext_lazy("pyynnön tila", "Peruttu"),
}


def customer_status(request: DataSubjectRequest) -> str:
    """Return the request's status in the words the portal uses."""
    return str(CUSTOMER_STATUS[request.status])


# Other requests and the list of them.


def file_my_request(*, customer: Customer, kind: str, description: str) -> DataSubjectRequest:
    """File a restriction or objection request in the customer's own words."""
    if kind not in FREE_FORM_KINDS:
        raise ValueError(f"The portal does not file {kind!r} requests in free form.")
    # An objection bans direct marketing at once (GDPR Art. 21(3)), in receive_request().
    return receive_portal_request(customer=customer, kind=kind, description=description)


def my_requests(customer: Customer) -> list[DataSubjectRequest]:
    """Return every request of the customer with its corrections, newest first (two queries)."""
    found = list(
        customer.privacy_requests.prefetch_related("corrections").order_by("-received_at", "-id")
    )
    for request in found:
        request.correction_items = _labelled(request.corrections.all())
        request.customer_status = customer_status(request)
    return found


def withdraw_my_request(*, customer: Customer, code: str) -> DataSubjectRequest:
    """Withdraw one of the customer's own open requests; another's is DoesNotExist."""
    request = customer.privacy_requests.filter(code=code).first()
    if request is None:
        raise DataSubjectRequest.DoesNotExist
    withdraw_request(case=request)
    return request
