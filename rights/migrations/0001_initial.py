"""The data-subject requests' models, moved from the privacy app: their tables stay as they are.

State only: the tables (privacy_datasubjectrequest and its records) were created by the privacy
app's migrations 0003-0006 and keep their names (db_table), rows and constraints.
"""

import django.db.models.deletion
import django.utils.timezone
import rights.models.packages
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('customers', '0005_ban_register'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('privacy', '0007_audit_lockout'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccessPackage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=rights.models.packages._access_token, editable=False, max_length=64, unique=True, verbose_name='latausavain')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='muodostettu')),
                        ('expires_at', models.DateTimeField(verbose_name='vanhenee')),
                        ('json_file', models.FileField(blank=True, upload_to='access/', verbose_name='JSON')),
                        ('archive_file', models.FileField(blank=True, upload_to='access/', verbose_name='ZIP (JSON ja CSV)')),
                        ('pdf_file', models.FileField(blank=True, upload_to='access/', verbose_name='PDF')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='muodostaja')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_packages', to='customers.customer', verbose_name='asiakas')),
                    ],
                    options={
                        'verbose_name': 'tietopaketti',
                        'verbose_name_plural': 'tietopaketit',
                        'db_table': 'privacy_accesspackage',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='AccessPackageDownload',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_kind', models.CharField(max_length=10, verbose_name='tiedosto')),
                        ('downloaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ladattu')),
                        ('downloaded_by', models.ForeignKey(blank=True, help_text='Tyhjä, kun asiakas latasi paketin itse.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='lataaja')),
                        ('package', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='downloads', to='rights.accesspackage', verbose_name='tietopaketti')),
                    ],
                    options={
                        'verbose_name': 'tietopaketin lataus',
                        'verbose_name_plural': 'tietopaketin lataukset',
                        'db_table': 'privacy_accesspackagedownload',
                        'ordering': ['-downloaded_at'],
                    },
                ),
                migrations.CreateModel(
                    name='DataSubjectRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='tunniste')),
                        ('kind', models.CharField(choices=[('access', 'tarkastuspyyntö (15 art.)'), ('correction', 'oikaisupyyntö (16 art.)'), ('erasure', 'poistopyyntö (17 art.)'), ('restriction', 'käsittelyn rajoittaminen (18 art.)'), ('portability', 'tietojen siirto (20 art.)'), ('objection', 'vastustaminen ja suoramarkkinointikielto (21 art.)')], max_length=12, verbose_name='pyynnön laji')),
                        ('channel', models.CharField(choices=[('portal', 'omat tiedot -palvelu'), ('email', 'sähköposti'), ('letter', 'kirje'), ('in_person', 'henkilökohtaisesti')], max_length=10, verbose_name='saapumistapa')),
                        ('received_at', models.DateTimeField(default=django.utils.timezone.now, help_text='Määräaika lasketaan tästä hetkestä (GDPR 12 art. 3 k.).', verbose_name='vastaanotettu')),
                        ('requester_name', models.CharField(blank=True, max_length=200, verbose_name='pyytäjän nimi')),
                        ('requester_contact', models.CharField(blank=True, help_text='Sähköposti, puhelin tai osoite sellaisena kuin pyytäjä sen antoi.', max_length=254, verbose_name='pyytäjän yhteystieto')),
                        ('description', models.TextField(blank=True, verbose_name='pyynnön sisältö')),
                        ('language', models.CharField(blank=True, choices=[('fi', 'suomi'), ('sv', 'ruotsi'), ('en', 'englanti')], help_text='Kieli, jolla pyytäjä asioi; ratkaisu kirjoitetaan sillä. Tyhjä: asiakkaan asiointikieli.', max_length=2, verbose_name='asiointikieli')),
                        ('ban_channel', models.CharField(blank=True, choices=[('all', 'kaikki kanavat'), ('email', 'sähköposti'), ('sms', 'tekstiviesti'), ('post', 'posti'), ('phone', 'puhelin')], max_length=10, verbose_name='kiellon kanava')),
                        ('ban_scope', models.CharField(blank=True, choices=[('direct_marketing', 'suoramarkkinointi'), ('distance_selling', 'etämyynti'), ('research', 'markkina- ja mielipidetutkimus'), ('profiling', 'profilointi'), ('publication', 'julkaiseminen luetteloissa')], max_length=20, verbose_name='kiellon laajuus')),
                        ('status', models.CharField(choices=[('received', 'vastaanotettu'), ('identity_verified', 'henkilöllisyys todennettu'), ('in_progress', 'käsittelyssä'), ('completed', 'toteutettu'), ('refused', 'hylätty'), ('withdrawn', 'peruttu')], default='received', max_length=20, verbose_name='tila')),
                        ('verification_method', models.CharField(blank=True, choices=[('portal_login', 'kirjautuminen omat tiedot -palveluun'), ('email_on_file', 'vastaus rekisterissä olevaan sähköpostiosoitteeseen'), ('order_details', 'tilaustietojen tarkistus'), ('id_document', 'henkilöllisyystodistus'), ('strong_auth', 'vahva sähköinen tunnistus')], help_text='Lisätietoja pyydetään vain, jos henkilöllisyydestä on perusteltua epäilyä.', max_length=20, verbose_name='henkilöllisyyden todentamistapa')),
                        ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='todennettu')),
                        ('due_date', models.DateField(help_text='Kuukausi vastaanotosta, jatkettuna enintään kaksi kuukautta.', verbose_name='määräpäivä')),
                        ('extension_months', models.PositiveSmallIntegerField(default=0, verbose_name='jatkoaika (kk)')),
                        ('extension_reason', models.TextField(blank=True, verbose_name='jatkoajan peruste')),
                        ('extension_notified_on', models.DateField(blank=True, null=True, verbose_name='jatkoajasta ilmoitettu')),
                        ('refusal_reason', models.CharField(blank=True, choices=[('identity', 'henkilöllisyyttä ei voitu todentaa (12 art. 6 k.)'), ('unfounded', 'pyyntö on ilmeisen perusteeton (12 art. 5 k.)'), ('excessive', 'pyyntö on kohtuuton, erityisesti toistuva (12 art. 5 k.)'), ('legal_obligation', 'lakisääteinen velvoite estää pyynnön toteuttamisen (17 art. 3 k. b)'), ('legal_claims', 'tiedot tarvitaan oikeusvaateen laatimiseen, esittämiseen tai puolustamiseen'), ('no_data', 'rekisterissä ei ole pyynnön kohteena olevia tietoja'), ('other', 'muu peruste')], max_length=20, verbose_name='hylkäyksen peruste')),
                        ('refusal_details', models.TextField(blank=True, verbose_name='hylkäyksen perustelut')),
                        ('decision_text', models.TextField(blank=True, help_text='Pyytäjälle annettu ratkaisu sellaisena kuin se annettiin.', verbose_name='kirjallinen ratkaisu')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='ratkaistu')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='luotu')),
                        ('customer', models.ForeignKey(blank=True, help_text='Tyhjä, kunnes pyytäjä on yhdistetty asiakkaaseen.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='privacy_requests', to='customers.customer', verbose_name='asiakas')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ratkaisija')),
                        ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='todentaja')),
                    ],
                    options={
                        'verbose_name': 'tietosuojapyyntö',
                        'verbose_name_plural': 'tietosuojapyynnöt',
                        'db_table': 'privacy_datasubjectrequest',
                        'ordering': ['due_date', 'received_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CorrectionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('field_name', models.CharField(max_length=50, verbose_name='kenttä')),
                        ('old_value', models.TextField(blank=True, verbose_name='vanha arvo')),
                        ('new_value', models.TextField(blank=True, verbose_name='uusi arvo')),
                        ('reason', models.TextField(blank=True, verbose_name='perustelu')),
                        ('state', models.CharField(choices=[('proposed', 'ehdotettu'), ('approved', 'hyväksytty'), ('rejected', 'hylätty'), ('applied', 'korjattu')], default='proposed', max_length=10, verbose_name='tila')),
                        ('decision_reason', models.TextField(blank=True, verbose_name='ratkaisun perustelu')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='ratkaistu')),
                        ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='korjattu')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ratkaisija')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='rights.datasubjectrequest', verbose_name='pyyntö')),
                    ],
                    options={
                        'verbose_name': 'oikaisu',
                        'verbose_name_plural': 'oikaisut',
                        'db_table': 'privacy_correctionitem',
                        'ordering': ['id'],
                    },
                ),
                migrations.AddField(
                    model_name='accesspackage',
                    name='request',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_packages', to='rights.datasubjectrequest', verbose_name='pyyntö'),
                ),
                migrations.CreateModel(
                    name='ErasureLedger',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('customer_code', models.UUIDField(unique=True, verbose_name='asiakkaan tunniste')),
                        ('customer_number', models.CharField(max_length=9, verbose_name='asiakasnumero')),
                        ('reason', models.CharField(choices=[('request', 'poistopyyntö'), ('retention', 'säilytysajan päättyminen'), ('staff', 'ylläpidon päätös')], max_length=10, verbose_name='syy')),
                        ('erased_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='poistettu')),
                        ('reapplied_at', models.DateTimeField(blank=True, null=True, verbose_name='poisto toistettu')),
                        ('erased_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='poistaja')),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='rights.datasubjectrequest', verbose_name='pyyntö')),
                    ],
                    options={
                        'verbose_name': 'poistokirjaus',
                        'verbose_name_plural': 'poistokirjaukset',
                        'db_table': 'privacy_erasureledger',
                        'ordering': ['-erased_at'],
                    },
                ),
                migrations.CreateModel(
                    name='RecipientNotification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient', models.CharField(max_length=200, verbose_name='vastaanottaja')),
                        ('fields', models.JSONField(default=list, verbose_name='muuttuneet tiedot')),
                        ('notified_at', models.DateTimeField(blank=True, null=True, verbose_name='ilmoitettu')),
                        ('method', models.CharField(blank=True, max_length=200, verbose_name='ilmoitustapa')),
                        ('disclosure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='customers.disclosure', verbose_name='luovutus')),
                        ('notified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ilmoittaja')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='rights.datasubjectrequest', verbose_name='pyyntö')),
                    ],
                    options={
                        'verbose_name': 'ilmoitus vastaanottajalle',
                        'verbose_name_plural': 'ilmoitukset vastaanottajille',
                        'db_table': 'privacy_recipientnotification',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='RequestEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('received', 'vastaanotettu'), ('linked', 'yhdistetty asiakkaaseen'), ('identity_verified', 'henkilöllisyys todennettu'), ('started', 'käsittely aloitettu'), ('extended', 'määräaikaa jatkettu'), ('correction_proposed', 'oikaisu ehdotettu'), ('correction_decided', 'oikaisu ratkaistu'), ('corrections_applied', 'oikaisut tehty'), ('recipients_notified', 'vastaanottajille ilmoitettu (19 art.)'), ('access_package', 'tietopaketti muodostettu'), ('erased', 'tiedot poistettu'), ('ban_set', 'markkinointikielto asetettu'), ('restricted', 'käsittely rajoitettu'), ('restriction_lifted', 'rajoitus poistettu'), ('completed', 'toteutettu'), ('refused', 'hylätty'), ('withdrawn', 'peruttu')], max_length=20, verbose_name='tapahtuma')),
                        ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='aika')),
                        ('message', models.TextField(blank=True, verbose_name='selite')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='tekijä')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='rights.datasubjectrequest', verbose_name='pyyntö')),
                    ],
                    options={
                        'verbose_name': 'pyynnön tapahtuma',
                        'verbose_name_plural': 'pyynnön tapahtumat',
                        'db_table': 'privacy_requestevent',
                        'ordering': ['occurred_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='datasubjectrequest',
                    index=models.Index(fields=['status', 'due_date'], name='dsr_queue_idx'),
                ),
                migrations.AddConstraint(
                    model_name='datasubjectrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('extension_months__lte', 2)), name='dsr_extension_at_most_two_months'),
                ),
                migrations.AddConstraint(
                    model_name='datasubjectrequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'refused'), _negated=True), models.Q(('refusal_reason', ''), _negated=True), _connector='OR'), name='dsr_refusal_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='datasubjectrequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'completed'), _negated=True), models.Q(('customer__isnull', False), ('verified_at__isnull', False)), _connector='OR'), name='dsr_completed_is_verified'),
                ),
                migrations.AddConstraint(
                    model_name='datasubjectrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ('received', 'identity_verified', 'in_progress')), ('decided_at__isnull', False), _connector='OR'), name='dsr_closed_has_decision_time'),
                ),
                migrations.AddIndex(
                    model_name='accesspackage',
                    index=models.Index(fields=['expires_at'], name='access_package_expiry_idx'),
                ),
            ],
        ),
    ]
