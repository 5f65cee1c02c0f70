from importlib import import_module

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
SEEDED = import_module("customers.migrations.0015_consent_wordings")
OLD = {(purpose, channel): tuple(texts) for purpose, channel, *texts in SEEDED.WORDINGS}
NEW = {(purpose, channel): tuple(texts) for purpose, channel, *texts in WORDINGS}


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


def seed_wordings(apps, schema_editor=None):
    """Seed the wordings as the migrations leave them: customers.0015's, then shortened."""
    SEEDED.seed_wordings(apps, schema_editor)
    shorten_defaults(apps, schema_editor)


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
