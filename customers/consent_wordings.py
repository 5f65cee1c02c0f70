"""What the consent wordings lack for the statement: a wording in every language it serves.

The portal asks a consent in the reader's language with the shop's words (ConsentWording) and
falls back to Finnish, so a shop whose statement serves Swedish or English must have each wording
in it before publishing. The statement cannot read this app (it is a layer below), so this app
registers `wording_gaps` with its completeness check (customers.apps).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from customers.models import ConsentWording
from statement.completeness import Gap, missing
from statement.models import StatementDraft


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
