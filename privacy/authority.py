"""The supervisory authority that statements, decision letters and access packages name.

Tietosuojavaltuutetun toimisto, as LEGAL.md ("Supervisory authority") and tietosuoja.fi give its
details (GDPR 13(2)(d), 12(4) and 77). The one place they are written.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class SupervisoryAuthority:
    name: Promise
    postal_address: Promise
    visiting_address: Promise
    phone: Promise
    email: str
    website: str
    url: str

    def address_line(self) -> str:
        """Return "PL 800, 00531 Helsinki (käyntiosoite …)" in the active language."""
        return _("%(postal)s (käyntiosoite %(visiting)s)") % {
            "postal": self.postal_address,
            "visiting": self.visiting_address,
        }

    def contact_line(self) -> str:
        """Return "tietosuoja@om.fi, puhelin 029 566 6700, tietosuoja.fi" in the active language."""
        return _("%(email)s, puhelin %(phone)s, %(website)s") % {
            "email": self.email,
            "phone": self.phone,
            "website": self.website,
        }

    def one_line(self) -> str:
        """Return the name, postal address and contacts on one line, in the active language."""
        return f"{self.name}, {self.postal_address}, {self.contact_line()}"


SUPERVISORY_AUTHORITY = SupervisoryAuthority(
    name=gettext_lazy("Tietosuojavaltuutetun toimisto"),
    postal_address=gettext_lazy("PL 800, 00531 Helsinki"),
    visiting_address=gettext_lazy("Lintulahdenkuja 4, 00530 Helsinki"),
    phone=gettext_lazy("029 566 6700"),
    email="tietosuoja@om.fi",
    website="tietosuoja.fi",
    url="https://tietosuoja.fi",
)
