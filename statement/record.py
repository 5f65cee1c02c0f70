"""The record of processing activities (GDPR Art. 30(1), "seloste käsittelytoimista").

Internal, shown to the supervisory authority on request, and built from the same declaration,
controller and draft as the public statement, so the two cannot disagree. A web shop's customer
register is continuous processing, so the under-250-staff exemption of Art. 30(5) does not apply.
"""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from privacy import declaration
from privacy.citations import Style, cite, cited
from privacy.pdf import render_pdf
from statement.choices import drafting
from statement.content import (
    Section,
    Statement,
    capitalised,
    controller_items,
    data_content_items,
    outside_items,
    outside_of,
    paragraphs,
    purpose_items,
    recipient_items,
    retention_items,
    shop_uses,
    transfer_items,
)
from statement.models import Controller, StatementDraft, StatementPart
from statement.publishing import printed_document_html, render_statement_html


def _erasure_items() -> tuple[tuple[str, str], ...]:
    items = []
    for category, fields in declaration.by_category():
        rules = dict.fromkeys(
            _("%(erasure)s: %(reason)s") % {"erasure": f.erasure.label, "reason": f.legal_reason}
            if f.legal_reason
            else str(f.erasure.label)
            for _d, _n, f in fields
        )
        items.append((str(category.label), "\n".join(rules)))
    return tuple(items)


def _controller_people(controller: Controller | None) -> tuple[tuple[str, str], ...]:
    if controller is None:
        return ()

    def person(name: str, email: str, phone: str) -> str:
        return ", ".join(part for part in (name, email, phone) if part)

    contact = person(controller.contact_name, controller.contact_email, controller.contact_phone)
    dpo = person(controller.dpo_name, controller.dpo_email, controller.dpo_phone)
    return (
        *controller_items(controller),
        (_("Yhteyshenkilö rekisteriasioissa"), contact),
        (_("Tietosuojavastaava"), dpo or _("Ei nimetty.")),
    )


def build_processing_record(draft: StatementDraft) -> Statement:
    """Return the record of processing activities (GDPR Art. 30(1)) in Finnish."""
    controller = Controller.current()
    recipients = list(draft.recipients.all())
    outside = outside_of(draft)
    with translation.override("fi"), drafting(draft):
        transfers = transfer_items(recipients, "fi")
        register_name = controller.register_name if controller else ""
        sections = (
            Section(
                "controller",
                _("Rekisterinpitäjä, yhteyshenkilö ja tietosuojavastaava (%(article)s)")
                % {"article": cite("30(1)(a)")},
                items=_controller_people(controller),
            ),
            Section(
                "purposes",
                _("Käsittelyn tarkoitukset ja oikeusperusteet (%(article)s)")
                % {"article": cite("30(1)(b)")},
                (_("Käsittelytoimi: %(name)s") % {"name": register_name},) if register_name else (),
                items=purpose_items(draft),
            ),
            Section(
                "data_subjects",
                cited(_("Rekisteröityjen ryhmät (%(article)s)"), "30(1)(c)"),
                paragraphs(draft.text(StatementPart.DATA_SUBJECTS, "fi")),
            ),
            Section(
                "data_content",
                cited(_("Henkilötietoryhmät (%(article)s)"), "30(1)(c)"),
                items=data_content_items(shop_uses(draft)) + outside_items(outside, "fi"),
            ),
            Section(
                "disclosures",
                _("Vastaanottajien ryhmät, myös kolmansissa maissa (%(article)s)")
                % {"article": cite("30(1)(d)")},
                items=recipient_items(recipients, "fi"),
            ),
            Section(
                "transfers",
                _("Siirrot kolmansiin maihin ja suojatoimet (%(article)s)")
                % {"article": cite("30(1)(e)")},
                () if transfers else (_("Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle."),),
                items=transfers,
            ),
            Section(
                "retention",
                cited(_("Poistamisen määräajat (%(article)s)"), "30(1)(f)"),
                items=retention_items(),
            ),
            Section(
                "erasure",
                _("Mitä poisto tekee tiedoille"),
                items=_erasure_items(),
            ),
            Section(
                "security",
                _("Teknisten ja organisatoristen turvatoimien kuvaus (%(article)s)")
                % {"article": cite("30(1)(g)")},
                items=(
                    (_("A. Manuaalinen aineisto"), draft.text(StatementPart.SECURITY_MANUAL, "fi")),
                    (
                        _("B. Sähköisesti käsiteltävät tiedot"),
                        draft.text(StatementPart.SECURITY_ELECTRONIC, "fi"),
                    ),
                ),
            ),
        )
        return Statement(
            language="fi",
            title=_("Seloste käsittelytoimista"),
            subtitle=capitalised(cite("30(1)", style=Style.FULL)),
            controller_name=controller.name if controller else "",
            version_label=_("Muodostettu %(date)s")
            % {"date": formats.date_format(timezone.localdate(), "j.n.Y")},
            sections=sections,
        )


def render_processing_record_pdf(draft: StatementDraft) -> bytes:
    """Return the Art. 30 record as a PDF (rendered on demand: staff-only and rarely read)."""
    record = build_processing_record(draft)
    html = printed_document_html(
        language="fi",
        title=record.title,
        author=record.controller_name,
        document_name=record.title,
        footer_label=record.version_label,
        content=render_statement_html(record),
    )
    return render_pdf(html, title=record.title, author=record.controller_name, language="fi")
