"""What the case page shows: the deadline in words, the one next step, what carrying out will do.

Read-only: the rules (what erasure deletes or keeps, until when) are `rights`'; this only groups
them for reading.
"""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.models import Customer
from privacy.citations import cite
from privacy.declaration import Erasure, linked_declarations
from rights.access import PACKAGE_LIFETIME
from rights.erasure import ErasurePlan, plan_erasure
from rights.models import DataSubjectRequest

Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status


def case_url(case: DataSubjectRequest, page: str = "case") -> str:
    """Return the address of one of the workspace's pages for a case."""
    return reverse(f"admin:rights_datasubjectrequest_{page}", args=[case.pk])


def format_date(day: dt.date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else "–"


@dataclass(frozen=True)
class DaysLeft:
    """How the deadline stands: days left (negative when late), said in words."""

    days: int | None
    text: str
    is_overdue: bool


def days_left(case: DataSubjectRequest, today: dt.date | None = None) -> DaysLeft:
    """Return the days left until the case's deadline, in words (and None once decided)."""
    if not case.is_open:
        return DaysLeft(None, _("ratkaistu"), False)
    days = (case.due_date - (today or timezone.localdate())).days
    if days < 0:
        text = ngettext("myöhässä %(n)s päivän", "myöhässä %(n)s päivää", -days) % {"n": -days}
        return DaysLeft(days, text, True)
    if days == 0:
        return DaysLeft(0, _("erääntyy tänään"), False)
    return DaysLeft(days, ngettext("%(n)s päivä", "%(n)s päivää", days) % {"n": days}, False)


@dataclass(frozen=True)
class Step:
    """The next step of a case: what it is, why, and the one button that takes it."""

    title: str
    explanation: str
    button: str
    url: str
    post: bool = False


def next_step(case: DataSubjectRequest) -> Step | None:
    """Return the one next step of the case, or None when nothing is left to do."""
    if case.status == Status.RECEIVED:
        return Step(
            _("Todenna pyytäjän henkilöllisyys"),
            _(
                "Pyyntöä ei käsitellä ennen kuin pyytäjän henkilöllisyys on todennettu ja "
                "pyyntö yhdistetty asiakkaaseen (%(article)s)."
            )
            % {"article": cite("12(6)")},
            _("Todenna henkilöllisyys"),
            case_url(case, "case_verify"),
        )
    if case.status == Status.IDENTITY_VERIFIED:
        return Step(
            _("Valmistele pyynnön toteutus"),
            _(
                "Käsittely alkaa, ja näet kokonaan, mitä pyynnön toteutus tekee. Mitään ei "
                "vielä muuteta."
            ),
            _("Aloita käsittely ja valmistele"),
            case_url(case, "case_prepare"),
            post=True,
        )
    if case.status == Status.IN_PROGRESS:
        return Step(
            _("Tarkista, mitä tehdään"),
            _("Näet kokonaan, mitä pyynnön toteutus tekee, ennen kuin vahvistat sen."),
            _("Valmistele toteutus"),
            case_url(case, "case_prepare"),
        )
    if case.status == Status.COMPLETED and case.decision_sent_at is None and case.decision_text:
        return Step(
            _("Lähetä ratkaisu"),
            _("Pyyntö on toteutettu. Lue kirjallinen ratkaisu ja lähetä se pyytäjälle."),
            _("Esikatsele ja lähetä ratkaisu"),
            case_url(case, "case_decision"),
        )
    return None


def secondary_actions(case: DataSubjectRequest) -> list[tuple[str, str]]:
    """Return the case's other actions as (label, address)."""
    actions = []
    if case.is_open:
        if case.extension_months < 2:
            actions.append((_("Jatka määräaikaa"), case_url(case, "case_extend")))
        actions.append((_("Hylkää pyyntö"), case_url(case, "case_refuse")))
        actions.append((_("Merkitse perutuksi"), case_url(case, "case_withdraw")))
    if case.notifications.filter(notified_at__isnull=True).exists():
        actions.append(
            (_("Merkitse vastaanottajille ilmoitetuksi"), case_url(case, "case_notified"))
        )
    if (
        case.kind == Kind.RESTRICTION
        and case.status == Status.COMPLETED
        and case.customer is not None
        and case.customer.is_restricted
    ):
        actions.append((_("Poista käsittelyn rajoitus"), case_url(case, "case_lift")))
    return actions


# What carrying out the request will do, shown before anything is done.


@dataclass
class ErasedGroup:
    model: str
    rows: int
    deleted: list[str]
    anonymised: list[str]


@dataclass
class KeptGroup:
    model: str
    reason: str
    until: str
    fields: list[str]


def erasure_summary(plan: ErasurePlan) -> tuple[list[ErasedGroup], list[KeptGroup]]:
    """Return the plan per kind of record: what goes, and what stays, why and until when."""
    erased: dict[str, ErasedGroup] = {}
    kept: dict[tuple[str, str], tuple[dt.date | None, set[str], list[str]]] = {}
    for item in plan.items:
        model, name = str(item.model_name), str(item.field_name)
        if item.action == Erasure.KEEP:
            last, criteria, names = kept.get((model, str(item.legal_reason)), (None, set(), []))
            if item.kept_until and (last is None or item.kept_until > last):
                last = item.kept_until
            if item.criterion:
                criteria.add(str(item.criterion))
            if name not in names:
                names.append(name)
            kept[(model, str(item.legal_reason))] = (last, criteria, names)
            continue
        group = erased.setdefault(model, ErasedGroup(model, 0, [], []))
        group.rows = max(group.rows, item.rows)
        target = group.deleted if item.action == Erasure.DELETE else group.anonymised
        if name not in target:
            target.append(name)
    kept_groups = []
    for (model, reason), (last, criteria, names) in kept.items():
        whens = sorted(criteria)
        if last:
            whens.insert(0, _("%(date)s asti") % {"date": format_date(last)})
        kept_groups.append(KeptGroup(model, reason, "; ".join(whens), names))
    return list(erased.values()), kept_groups


def _record_counts(customer: Customer) -> list[tuple[str, int]]:
    """Return how many rows of each declared kind of record the register holds on the customer."""
    counts = []
    for decl in linked_declarations():
        rows = decl.rows_for(customer).count()
        if rows:
            counts.append((str(decl.model._meta.verbose_name_plural), rows))
    return counts


def preparation(case: DataSubjectRequest) -> dict:
    """Return what carrying out the case will do, for the prepare and confirm pages."""
    customer = case.customer
    context: dict = {
        "recipients": sorted(set(customer.disclosures.values_list("recipient", flat=True)))
    }
    if case.kind == Kind.ERASURE:
        plan = plan_erasure(customer=customer)
        erased, kept = erasure_summary(plan)
        context.update(plan=plan, erased=erased, kept=kept, holds=plan.holds)
    elif case.kind in (Kind.ACCESS, Kind.PORTABILITY):
        context.update(
            records=_record_counts(customer),
            package_until=format_date(timezone.localdate() + PACKAGE_LIFETIME),
        )
    elif case.kind == Kind.CORRECTION:
        context["corrections"] = [
            (Customer._meta.get_field(item.field_name).verbose_name, item)
            for item in case.corrections.all()
        ]
    return context
