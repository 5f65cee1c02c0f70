"""What the consent wordings lack for the statement: a wording in every language it serves.

The portal asks a consent in the reader's language with the shop's words (ConsentWording) and
falls back to Finnish, so a shop whose statement serves Swedish or English must have each wording
in it before publishing. The statement cannot read this app (it is a layer below), so this app
registers `wording_gaps` with its completeness check (customers.apps), and `off_mention_gaps`:
a wording must not name a purpose the shop has switched off.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from customers.marketing.choices import CHOICES
from customers.models import ConsentWording
from statement.completeness import Gap, mentioned_off, missing
from statement.models import StatementDraft
from statement.purposes import draft_purposes_off


def wording_gaps(draft: StatementDraft) -> list[Gap]:
    """List, in Finnish, each wording lacking a language the draft serves, with its staff page."""
    gaps = []
    for wording in ConsentWording.objects.all():
        label = _("Suostumuksen sanamuoto ”%(name)s”") % {"name": wording}
        for language in draft.translations():
            if not getattr(wording, f"text_{language}").strip():
                text = (
                    missing(label, language)
                    + " "
                    + _(
                        "Portaali näyttäisi sen lukijalle suomeksi. Lisää käännös kohdassa "
                        "Asiakasrekisteri › Suostumusten sanamuodot."
                    )
                )
                url = reverse("admin:customers_consentwording_change", args=[wording.pk])
                gaps.append(Gap(text, url))
    return gaps


def off_mention_gaps(draft: StatementDraft) -> list[Gap]:
    """List each wording the portal asks with that names a purpose the draft switches off.

    A wording whose own question the portal no longer asks (its purposes are all off: research
    while market research is off) is not shown to anyone, so it promises nothing.
    """
    off = draft_purposes_off(draft)
    if not off:
        return []
    gaps = []
    for wording in ConsentWording.objects.all():
        asked = [choice for choice in CHOICES if choice.consent_purpose == wording.purpose]
        if asked and all(p.key in off for choice in asked for p in choice.declared):
            continue
        url = reverse("admin:customers_consentwording_change", args=[wording.pk])
        for language in draft.languages():
            gaps += mentioned_off(
                where=_("Suostumuksen sanamuoto ”%(name)s”") % {"name": wording},
                language=language,
                texts=[(getattr(wording, f"text_{language}"), f"{url}#id_text_{language}")],
                off=off,
            )
    return gaps
