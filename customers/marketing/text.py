"""What the marketing rules tell: the sentences the statement, the portal and the staff pages print.

Each sentence is rendered from the facts the rule itself reads (customers.marketing.rules: the
channels that need consent, the bases a channel's audience is formed on, the ban scopes of a use,
the age limit, whether a restriction list screens a channel), so a sentence about who is marketed
to through which channel changes when the rule does.
"""

from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.marketing.rules import (
    BASIS_BUSINESS,
    BASIS_CONSENT,
    BASIS_EXISTING_CUSTOMER,
    BASIS_NOT_REFUSED,
    MINIMUM_AGE,
    PUBLICATION_SCOPES,
    SCREENED_CHANNELS,
    TARGETING_MONTHS,
    USE_MARKETING,
    USE_RESEARCH,
    USE_TARGETED,
    Use,
    bases,
    basis_for,
    is_marketable,
)
from customers.models import BanRegisterImport, BanScope, Channel, ConsentPurpose, Customer
from privacy import vocabulary
from privacy.citations import Style, cite
from privacy.marketing_rules import MarketingText
from statement.purposes import purposes_off


def _screened(channel: str) -> bool:
    """Return whether a restriction list screens the channel's audiences now."""
    service = SCREENED_CHANNELS.get(channel)
    return service is not None and BanRegisterImport.objects.filter(service=service).exists()


def channel_rule(channel: str, use: Use = USE_MARKETING) -> str:
    """Return, in the active language, who may be contacted through a channel for a use."""
    allowed = bases(channel, use)
    sentences = []
    if BASIS_NOT_REFUSED in allowed:
        sentences.append(
            _(
                "Kunnes kiellät markkina- ja mielipidetutkimukset; suostumusta ei tarvita "
                "(oikeutettu etu, %(article)s)."
            )
            % {"article": cite("6(1)(f)", style=Style.TEXT)}
            if use.key == USE_RESEARCH.key
            else _("Kunnes kiellät sen; suostumusta ei tarvita (oikeutettu etu, %(article)s).")
            % {"article": cite("6(1)(f)", "21(2)", style=Style.TEXT)}
        )
    else:
        sentences.append(_("Kuluttaja-asiakkaille vain heidän suostumuksellaan."))
    if BASIS_EXISTING_CUSTOMER in allowed:
        sentences.append(
            _(
                "Asiakkaille, joille kerroimme siitä ostoksen yhteydessä, myös ilman suostumusta "
                "tietoa omista vastaavista tuotteistamme, kunnes he kieltävät sen (laki "
                "sähköisen viestinnän palveluista 917/2014 200 § 2 mom.)."
            )
        )
    if BASIS_BUSINESS in allowed:
        sentences.append(
            _(
                "Yritysasiakkaille yrityksen toimintaan liittyvää viestintää, kunnes yritys "
                "kieltää sen."
            )
        )
    if _screened(channel):
        sentences.append(
            _(
                "Osoitteet tarkistetaan Asiakkuusmarkkinointiliiton (ASML) suoramainonnan "
                "rajoituspalvelusta."
            )
            if channel == Channel.POST
            else _(
                "Numerot tarkistetaan Asiakkuusmarkkinointiliiton (ASML) puhelinmarkkinoinnin "
                "rajoituspalvelusta."
            )
        )
    return " ".join(sentences)


def use_rules(use: Use) -> str:
    """Return a use's rule for every channel, channels with the same rule together."""
    groups: dict[str, list[str]] = {}
    for channel in Channel:
        groups.setdefault(channel_rule(channel.value, use), []).append(str(channel.label))
    return " ".join(
        _("%(channels)s: %(rule)s")
        % {"channels": capfirst(get_text_list(labels, _("ja"))), "rule": rule}
        for rule, labels in groups.items()
    )


def use_rule(use: Use) -> str:
    """Return who a use's audience leaves out beyond the channel's rule, in the active language."""
    sentences = []
    if use.recent_buyers_only:
        sentences.append(
            _("Vain viimeisen %(months)s kuukauden aikana ostaneet.") % {"months": TARGETING_MONTHS}
        )
    scopes = [str(BanScope(scope).label) for scope in use.ban_scopes]
    sentences.append(
        _("Kielto (%(scopes)s) poistaa henkilön.") % {"scopes": get_text_list(scopes, _("tai"))}
    )
    if use.objection_purposes:
        purposes = [str(ConsentPurpose(p).label) for p in use.objection_purposes]
        sentences.append(
            _("Samoin peruttu suostumus (%(purposes)s).")
            % {"purposes": get_text_list(purposes, _("tai"))}
        )
    return " ".join(sentences)


def publication_rule() -> str:
    """Return who may be named in a published list, in the active language."""
    scopes = [str(BanScope(scope).label) for scope in PUBLICATION_SCOPES]
    return _(
        "Yritysasiakkaat, joilla ei ole kieltoa (%(scopes)s). Kuluttaja-asiakkaita ei julkaista."
    ) % {"scopes": get_text_list(scopes, _("tai"))}


# What the portal tells a customer about each channel: why they hear from us through it, if at all.
BASIS_TOLD = {
    BASIS_CONSENT: gettext_lazy("Saat markkinointia, koska olet antanut siihen suostumuksen."),
    BASIS_EXISTING_CUSTOMER: gettext_lazy(
        "Saat tietoa omista vastaavista tuotteistamme, koska olet ostanut meiltä. Voit kieltää "
        "sen alla."
    ),
    BASIS_BUSINESS: gettext_lazy(
        "Yrityksesi saa yrityksen toimintaan liittyvää markkinointia, koska se on "
        "yritysasiakkaamme. Voit kieltää sen alla."
    ),
    BASIS_NOT_REFUSED: gettext_lazy(
        "Voimme markkinoida sinulle tätä kautta, koska et ole kieltänyt sitä. Voit kieltää sen "
        "alla."
    ),
    None: gettext_lazy("Et saa meiltä markkinointia tätä kautta."),
}


def customer_channels(customer: Customer) -> list[tuple[str, str]]:
    """Return (channel, why the customer is or is not marketed to through it) per channel.

    Then whether the marketing they get is targeted by their purchases (profiling), and why.
    """
    told = [
        (capfirst(str(c.label)), str(BASIS_TOLD[basis_for(customer, c.value)])) for c in Channel
    ]
    targeted = any(is_marketable(customer, c.value, use=USE_TARGETED) for c in Channel)
    told.append(
        (
            _("Kohdennettu markkinointi"),
            _(
                "Kohdennamme sinulle markkinointia viimeisen %(months)s kuukauden ostojesi "
                "perusteella, koska et ole kieltänyt profilointia. Voit kieltää sen alla."
            )
            % {"months": TARGETING_MONTHS}
            if targeted
            else _("Emme kohdenna sinulle markkinointia ostojesi perusteella."),
        )
    )
    return told


def how_to_refuse() -> str:
    """Return how a person refuses marketing, in the active language."""
    return _(
        "Voit kieltää markkinoinnin milloin tahansa omilla sivuilla tai jokaisen "
        "markkinointiviestin peruutuslinkistä kirjautumatta. Kielto on voimassa, kunnes poistat "
        "sen, ja se estää markkinoinnin, vaikka olisit antanut suostumuksen."
    )


def statement_text() -> MarketingText:
    """Return the marketing rules as the statement tells them, in the active language."""
    items = [(capfirst(str(c.label)), channel_rule(c.value)) for c in Channel]
    # Each topic of a purpose the shop may switch off is told while it is on (statement.purposes).
    topics = [
        (
            vocabulary.TARGETING,
            _("Kohdennettu markkinointi"),
            _(
                "Kohdennamme markkinointia viimeisen %(months)s kuukauden ostojen perusteella "
                "(profilointi), ellet ole kieltänyt profilointia tai perunut suostumustasi siihen."
            )
            % {"months": TARGETING_MONTHS},
        ),
        (
            vocabulary.MARKET_RESEARCH,
            _("Markkina- ja mielipidetutkimukset"),
            use_rules(USE_RESEARCH),
        ),
        (
            vocabulary.REFERENCE_LIST,
            _("Julkaiseminen luetteloissa"),
            _(
                "Yritysasiakkaan nimen voimme julkaista asiakasluettelossamme, kunnes yritys "
                "kieltää sen. Kuluttaja-asiakkaita emme julkaise luetteloissa."
            ),
        ),
        (
            vocabulary.GIFT_CARDS,
            _("Lahjakortin lunastajat"),
            _(
                "Lahjakortin lunastajalle emme markkinoi millään kanavalla, ellei hän itse anna "
                "siihen suostumustaan."
            ),
        ),
    ]
    off = purposes_off()
    items += [(topic, text) for purpose, topic, text in topics if purpose.key not in off]
    items += [
        (
            _("Lapset"),
            _(
                "Alle %(age)s-vuotiaille emme markkinoi, eikä alle %(age)s-vuotias voi antaa "
                "suostumusta yksin (tietosuojalaki 1050/2018 5 §)."
            )
            % {"age": MINIMUM_AGE},
        ),
        (_("Markkinoinnin kieltäminen"), how_to_refuse()),
    ]
    return MarketingText(items=tuple(items), how_to_refuse=how_to_refuse())
