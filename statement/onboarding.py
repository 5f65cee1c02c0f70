"""Onboarding from the old statement: what it set up, confirmed section by section.

The import (``statement.importing``) keeps its report, with the recognised ``setup``, on the
draft. Here the register admin's confirmations become the register's settings: the controller
and its contact person (``Controller``), recipients (``StatementRecipient`` rows in the draft's
registry), the purposes the catalogue holds (``ShopPurpose`` rows enabling its entries) and the
regular sources (``ShopSource`` rows). Each save is one transaction with its
audit entry; what is kept in the audit log is field names and counts, never the values.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy.audit import record
from privacy.declaration import Category, by_category
from privacy.models import AuditEntry
from statement.importer.catalogue_keys import PURPOSE_KEYS, SOURCE_KEYS
from statement.importer.content import categories_of, items
from statement.importer.promises import DROP, PromiseReview, review_promises
from statement.importer.setup import RECIPIENT_KINDS
from statement.models import (
    Controller,
    ShopPurpose,
    ShopSource,
    StatementDraft,
    StatementRecipient,
)
from statement.purpose_catalogue import DECLARED_SOURCES, SOURCES, catalogue_key

CONTROLLER_FIELDS = (
    "name", "business_id", "street_address", "postal_code", "post_office", "email", "phone",
)  # fmt: skip
CONTACT_FIELDS = {"name": "contact_name", "email": "contact_email", "phone": "contact_phone"}
SECTIONS = ("controller", "contact_person", "recipients", "keys", "promises")


@dataclass
class ContentComparison:
    """The old data-content list against the categories the register declares."""

    matched: list[tuple[str, list[str]]] = field(default_factory=list)  # item, category labels
    not_held: list[str] = field(default_factory=list)  # named in the old one, not in the register
    not_named: list[Category] = field(default_factory=list)  # in the register, not named before


def compare_data_content(text: str) -> ContentComparison:
    """Compare an old data-content section with the declared categories."""
    declared = [category for category, _fields in by_category()]
    labels = {category.key: str(category.label) for category in declared}
    comparison = ContentComparison()
    named: set[str] = set()
    for item in items(text):
        keys = [key for key in categories_of(item) if key in labels]
        if keys:
            comparison.matched.append((item, [labels[key] for key in keys]))
            named.update(keys)
        else:
            comparison.not_held.append(item)
    comparison.not_named = [c for c in declared if c.key not in named]
    return comparison


def review_old_promises(draft: StatementDraft) -> list[PromiseReview]:
    """Return the verdict on each promise of the imported statement."""
    reviews = review_promises((draft.imported or {}).get("promises", []))
    months = settings.RETENTION_INACTIVE_MONTHS
    return [
        PromiseReview(
            r.text,
            r.status,
            r.rule,
            r.explanation + " " + _("Rekisterin asetus nyt: %(months)s kk.") % {"months": months},
        )
        if r.rule == "retention_period"
        else r
        for r in reviews
    ]


def recognised_setup(draft: StatementDraft) -> dict:
    """Return the set-up the last import recognised ({} before any import)."""
    return (draft.imported or {}).get("setup", {})


def confirmed(draft: StatementDraft) -> dict:
    """Return what the admin has confirmed so far: {section: when, "purposes": [...], …}."""
    return (draft.imported or {}).get("confirmed", {})


def _mark_confirmed(draft: StatementDraft, section: str, **values) -> None:
    done = dict(confirmed(draft))
    done[section] = timezone.now().isoformat()
    done.update(values)
    draft.imported = {**(draft.imported or {}), "confirmed": done}
    draft.save(update_fields=["imported", "updated_at"])


def _locked_draft() -> StatementDraft:
    draft = StatementDraft.current()
    return StatementDraft.objects.select_for_update().get(pk=draft.pk)


def _save_controller(
    controller: Controller,
    draft: StatementDraft,
    section: str,
    changed: list[str],
    action: str,
    user,
    request,
) -> Controller:
    """Validate and save the controller, mark the section confirmed and audit it."""
    controller.full_clean()
    controller.save()
    _mark_confirmed(draft, section)
    record(
        actor=user,
        action=action,
        object_label=f"statement.controller:{controller.pk}",
        details={"onboarding": section, "fields": changed},
        request=request,
    )
    return controller


@transaction.atomic
def confirm_controller(*, user, values: dict[str, str], request=None) -> Controller:
    """Save the controller's details as confirmed, creating the controller the first time."""
    draft = _locked_draft()
    controller = Controller.current() or Controller()
    changed = [name for name in CONTROLLER_FIELDS if getattr(controller, name) != values[name]]
    adding = controller.pk is None
    for name in CONTROLLER_FIELDS:
        setattr(controller, name, values[name])
    action = AuditEntry.Action.ADD if adding else AuditEntry.Action.CHANGE
    return _save_controller(controller, draft, "controller", changed, action, user, request)


@transaction.atomic
def confirm_contact_person(*, user, values: dict[str, str], request=None) -> Controller:
    """Save the contact person for register matters on the controller."""
    controller = Controller.current()
    if controller is None:
        raise ValueError(_("Tallenna ensin rekisterinpitäjän tiedot."))
    draft = _locked_draft()
    changed = [
        name for key, name in CONTACT_FIELDS.items() if getattr(controller, name) != values[key]
    ]
    for key, name in CONTACT_FIELDS.items():
        setattr(controller, name, values[key])
    action = AuditEntry.Action.CHANGE
    return _save_controller(controller, draft, "contact_person", changed, action, user, request)


def _role_of(kind: str) -> str:
    if kind == StatementRecipient.Kind.AUTHORITY:
        return StatementRecipient.Role.AUTHORITY
    if kind in (StatementRecipient.Kind.COLLECTION, StatementRecipient.Kind.CARRIER):
        return StatementRecipient.Role.RECIPIENT
    return StatementRecipient.Role.PROCESSOR


@transaction.atomic
def add_recipients(*, user, names: list[str], request=None) -> list[StatementRecipient]:
    """Add the confirmed recipients to the draft's registry; a name already there is skipped."""
    draft = _locked_draft()
    existing = {name.casefold() for name in draft.recipients.values_list("name_fi", flat=True)}
    carriers = set(draft.recipients.exclude(carrier="").values_list("carrier", flat=True))
    position = max(draft.recipients.values_list("position", flat=True), default=0)
    created = []
    for name in names:
        if name.casefold() in existing:
            continue
        kind = RECIPIENT_KINDS.get(name, StatementRecipient.Kind.OTHER)
        carrier = name.lower().replace(" ", "") if kind == StatementRecipient.Kind.CARRIER else ""
        if carrier in carriers:
            carrier = ""
        position += 1
        recipient = StatementRecipient(
            draft=draft, name_fi=name, kind=kind, role=_role_of(kind), carrier=carrier,
            position=position,
        )  # fmt: skip
        recipient.full_clean()
        recipient.save()
        existing.add(name.casefold())
        created.append(recipient)
    _mark_confirmed(draft, "recipients")
    record(
        actor=user,
        action=AuditEntry.Action.ADD,
        object_label=f"statement.statementdraft:{draft.pk}",
        details={"onboarding": "recipients", "added": [r.pk for r in created]},
        request=request,
    )
    return created


@dataclass
class AppliedKeys:
    """What confirming the purposes and sources added to the draft, and what it could not."""

    purposes: list[ShopPurpose] = field(default_factory=list)
    sources: list[ShopSource] = field(default_factory=list)
    without_entry: list[str] = field(default_factory=list)  # purpose keys the catalogue lacks


def _enable_purposes(draft: StatementDraft, keys: list[str], applied: AppliedKeys) -> None:
    """Enable the catalogue entry of each key on the draft, once; note the keys without one."""
    enabled = set(draft.purposes.exclude(catalogue_key="").values_list("catalogue_key", flat=True))
    position = max(draft.purposes.values_list("position", flat=True), default=0)
    for key in keys:
        entry = catalogue_key(key)
        if entry is None:
            applied.without_entry.append(key)
            continue
        if entry in enabled:
            continue
        position += 1
        purpose = ShopPurpose(draft=draft, catalogue_key=entry, position=position)
        purpose.full_clean()
        purpose.save()
        enabled.add(entry)
        applied.purposes.append(purpose)


def _add_sources(draft: StatementDraft, keys: list[str], applied: AppliedKeys) -> None:
    """Add a source row in each statement language for each key, unless one is named so."""
    existing = {name.casefold() for name in draft.sources.values_list("name_fi", flat=True)}
    position = max(draft.sources.values_list("position", flat=True), default=0)
    for key in keys:
        if key in DECLARED_SOURCES:
            continue
        names = {}
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                names[f"name_{language}"] = str(SOURCES[key])
        if names["name_fi"].casefold() in existing:
            continue
        position += 1
        source = ShopSource(draft=draft, position=position, **names)
        source.full_clean()
        source.save()
        existing.add(names["name_fi"].casefold())
        applied.sources.append(source)


@transaction.atomic
def confirm_keys(*, user, purposes: list[str], sources: list[str], request=None) -> AppliedKeys:
    """Apply the confirmed purposes and sources to the draft: catalogue purposes and source rows.

    Re-runnable: a catalogue purpose already enabled, or a source already named, is skipped.
    A purpose key the catalogue has no entry for is returned (and kept on the import report)
    for the admin to write as the shop's own purpose, with its legal basis.
    """
    draft = _locked_draft()
    purposes = [key for key in PURPOSE_KEYS if key in purposes]
    sources = [key for key in SOURCE_KEYS if key in sources]
    applied = AppliedKeys()
    _enable_purposes(draft, purposes, applied)
    _add_sources(draft, sources, applied)
    _mark_confirmed(
        draft, "keys", purposes=purposes, sources=sources, without_entry=applied.without_entry
    )
    record(
        actor=user,
        action=AuditEntry.Action.CHANGE,
        object_label=f"statement.statementdraft:{draft.pk}",
        details={
            "onboarding": "keys",
            "purposes": purposes,
            "sources": sources,
            "added_purposes": [p.pk for p in applied.purposes],
            "added_sources": [s.pk for s in applied.sources],
            "without_entry": applied.without_entry,
        },
        request=request,
    )
    return applied


def replace_sentence(text: str, sentence: str, wording: str) -> str:
    """Return text with the sentence replaced by wording, however its words were wrapped."""
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    replacement = f" {wording} " if wording else " "
    return re.sub(r"[ \t]*" + pattern + r"[ \t]*", lambda _m: replacement, text).strip()


def _without(text: str, sentence: str) -> str:
    """Return text with the sentence removed, however its words were wrapped."""
    return replace_sentence(text, sentence, "")


def in_draft(draft: StatementDraft, sentence: str) -> bool:
    """Return whether the sentence is still in one of the draft's Finnish parts."""
    return any(_without(text, sentence) != text for text in (draft.texts.get("fi") or {}).values())


@dataclass(frozen=True)
class PromiseState:
    """An old promise's verdict, and whether the draft still says it."""

    review: PromiseReview
    in_draft: bool

    @property
    def dropped(self) -> bool:
        """A promise to drop that the new statement no longer makes."""
        return self.review.status == DROP and not self.in_draft

    @property
    def to_drop(self) -> bool:
        """A promise to drop that the draft still makes: the drop button removes it."""
        return self.review.status == DROP and self.in_draft


def promise_states(draft: StatementDraft) -> list[PromiseState]:
    """Return each old promise with its verdict and whether the draft still makes it."""
    return [PromiseState(r, in_draft(draft, r.text)) for r in review_old_promises(draft)]


@transaction.atomic
def drop_promises(*, user, request=None) -> list[str]:
    """Remove from the draft's Finnish parts every old promise the review says to drop.

    Returns the sentences removed; re-running removes nothing more. A promise the shop should
    not make (e.g. "never without a court order") must not reach the published statement,
    whatever else its section says. The draft's texts change, so the statement in force is
    stale (statement.publishing.stale_reason) until a new version is published.
    """
    draft = _locked_draft()
    dropped = [r for r in review_old_promises(draft) if r.status == DROP]
    removed: list[PromiseReview] = []
    for part, text in list((draft.texts.get("fi") or {}).items()):
        for review in dropped:
            shorter = _without(text, review.text)
            if shorter != text:
                removed.append(review)
                text = shorter
        draft.set_text(part, "fi", text)
    draft.save(update_fields=["texts", "updated_at"])
    _mark_confirmed(draft, "promises", dropped=len(removed))
    record(
        actor=user,
        action=AuditEntry.Action.CHANGE,
        object_label=f"statement.statementdraft:{draft.pk}",
        details={
            "onboarding": "promises",
            "dropped": len(removed),
            "rules": sorted({r.rule for r in removed}),
        },
        request=request,
    )
    return [r.text for r in removed]
