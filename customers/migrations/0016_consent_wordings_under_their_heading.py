from django.db import migrations, models

# The portal shows each consent switch under its purpose's heading ("Tarjoukset ja uutiskirjeet
# meiltä"), so a wording need not repeat the heading: by default it names the channel, as the
# switches that record no consent do. A consent records the heading and the wording together
# (portal.services.switch_wording). Also read by customers.apps when a flushed database (the
# tests') is re-seeded.
CHANNELS = {
    "email": ("Sähköposti", "E-post", "Email"),
    "sms": ("Tekstiviesti", "Textmeddelande", "Text message"),
    "post": ("Posti", "Post", "Post"),
    "phone": ("Puhelin", "Telefon", "Telephone"),
}
PURPOSES = ("direct_marketing", "research")
WORDINGS = [
    (purpose, channel, *names) for purpose in PURPOSES for channel, names in CHANNELS.items()
]
# customers.0015's defaults, which repeated the heading: "Tarjoukset ja uutiskirjeet meiltä
# (sähköposti)".
OLD_QUESTIONS = {
    "direct_marketing": (
        "Tarjoukset ja uutiskirjeet meiltä",
        "Erbjudanden och nyhetsbrev från oss",
        "Offers and newsletters from us",
    ),
    "research": (
        "Markkina- ja mielipidetutkimukset",
        "Marknads- och opinionsundersökningar",
        "Market and opinion research",
    ),
}
OLD_CHANNELS = {
    "email": ("sähköposti", "e-post", "email"),
    "sms": ("tekstiviesti", "textmeddelande", "text message"),
    "post": ("posti", "post", "post"),
    "phone": ("puhelin", "telefon", "telephone"),
}
OLD = {
    (purpose, channel): tuple(
        f"{q} ({c})" for q, c in zip(OLD_QUESTIONS[purpose], OLD_CHANNELS[channel], strict=True)
    )
    for purpose in PURPOSES
    for channel in CHANNELS
}
NEW = {(purpose, channel): tuple(texts) for purpose, channel, *texts in WORDINGS}


def seed_wordings(apps, schema_editor=None):
    """Add the wordings of the portal's consent switches (those missing: re-runnable)."""
    ConsentWording = apps.get_model("customers", "ConsentWording")
    for purpose, channel, fi, sv, en in WORDINGS:
        ConsentWording.objects.get_or_create(
            purpose=purpose,
            channel=channel,
            defaults={"text_fi": fi, "text_sv": sv, "text_en": en},
        )


def _replace(apps, before: dict, after: dict) -> None:
    # Only a wording still exactly the default in all three languages: one the shop has
    # written itself, in any language, is the shop's and stays as it is.
    ConsentWording = apps.get_model("customers", "ConsentWording")
    for wording in ConsentWording.objects.all():
        key = (wording.purpose, wording.channel)
        if key in before and (wording.text_fi, wording.text_sv, wording.text_en) == before[key]:
            wording.text_fi, wording.text_sv, wording.text_en = after[key]
            wording.save(update_fields=["text_fi", "text_sv", "text_en"])


def shorten_defaults(apps, schema_editor):
    _replace(apps, OLD, NEW)


def restore_defaults(apps, schema_editor):
    _replace(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0015_consent_wordings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consentwording",
            name="text_fi",
            field=models.CharField(
                help_text=(
                    "Juuri nämä sanat asiakas näkee Kyllä/Ei-valinnan kohdalla käyttötarkoituksen "
                    "otsikon alla (esim. ”Sähköposti” otsikon ”Tarjoukset ja uutiskirjeet meiltä” "
                    "alla). Suostumukseen tallentuvat otsikko ja nämä sanat."
                ),
                max_length=300,
                verbose_name="sanamuoto (suomi)",
            ),
        ),
        migrations.RunPython(shorten_defaults, restore_defaults),
    ]
