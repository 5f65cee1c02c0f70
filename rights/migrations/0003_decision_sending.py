"""Decisions sent apart from their carrying out: when, and to whom until then.

Decisions issued before this release were mailed when they were made, so they count as sent then.
"""

from django.db import migrations, models
from django.db.models import F


def mark_earlier_decisions_sent(apps, schema_editor):
    DataSubjectRequest = apps.get_model("rights", "DataSubjectRequest")
    DataSubjectRequest.objects.filter(decided_at__isnull=False).exclude(decision_text="").update(
        decision_sent_at=F("decided_at")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('rights', '0002_authority_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='datasubjectrequest',
            name='decision_recipient',
            field=models.CharField(blank=True, db_default='', help_text='Osoite, johon ratkaisu lähetetään, luettuna ennen kuin pyynnön toteutus poisti sen; tyhjennetään, kun ratkaisu on lähetetty.', max_length=254, verbose_name='ratkaisun vastaanottaja'),
        ),
        migrations.AddField(
            model_name='datasubjectrequest',
            name='decision_sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='ratkaisu lähetetty'),
        ),
        migrations.AlterField(
            model_name='requestevent',
            name='kind',
            field=models.CharField(choices=[('received', 'vastaanotettu'), ('linked', 'yhdistetty asiakkaaseen'), ('identity_verified', 'henkilöllisyys todennettu'), ('started', 'käsittely aloitettu'), ('extended', 'määräaikaa jatkettu'), ('correction_proposed', 'oikaisu ehdotettu'), ('correction_decided', 'oikaisu ratkaistu'), ('corrections_applied', 'oikaisut tehty'), ('recipients_notified', 'vastaanottajille ilmoitettu (19 art.)'), ('access_package', 'tietopaketti muodostettu'), ('erased', 'tiedot poistettu'), ('ban_set', 'markkinointikielto asetettu'), ('restricted', 'käsittely rajoitettu'), ('restriction_lifted', 'rajoitus poistettu'), ('completed', 'toteutettu'), ('refused', 'hylätty'), ('withdrawn', 'peruttu'), ('decision_sent', 'ratkaisu lähetetty')], max_length=20, verbose_name='tapahtuma'),
        ),
        migrations.RunPython(mark_earlier_decisions_sent, migrations.RunPython.noop),
    ]
