"""The statement's models, moved from the privacy app: their tables stay as they are.

State only: the tables (privacy_controller, privacy_statement*) were created by the privacy
app's migrations 0001-0007 and keep their names (db_table), rows, triggers and constraints.
"""

import django.db.models.deletion
import django.utils.timezone
import django_countries.fields
import statement.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('privacy', '0007_audit_lockout'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Controller',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='nimi')),
                        ('business_id', models.CharField(blank=True, max_length=9, verbose_name='Y-tunnus')),
                        ('street_address', models.CharField(blank=True, max_length=200, verbose_name='katuosoite')),
                        ('postal_code', models.CharField(blank=True, max_length=10, verbose_name='postinumero')),
                        ('post_office', models.CharField(blank=True, max_length=100, verbose_name='postitoimipaikka')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='puhelin')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='sähköposti')),
                        ('website', models.URLField(blank=True, verbose_name='verkkosivusto')),
                        ('contact_name', models.CharField(blank=True, max_length=200, verbose_name='yhteyshenkilö rekisteriasioissa')),
                        ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='yhteyshenkilön sähköposti')),
                        ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='yhteyshenkilön puhelin')),
                        ('dpo_name', models.CharField(blank=True, help_text='Jätä tyhjäksi, jos yrityksellä ei ole tietosuojavastaavaa.', max_length=200, verbose_name='tietosuojavastaava')),
                        ('dpo_email', models.EmailField(blank=True, max_length=254, verbose_name='tietosuojavastaavan sähköposti')),
                        ('dpo_phone', models.CharField(blank=True, max_length=30, verbose_name='tietosuojavastaavan puhelin')),
                        ('register_name', models.CharField(blank=True, max_length=200, verbose_name='rekisterin nimi')),
                        ('register_name_sv', models.CharField(blank=True, help_text='Esim. ”Esimerkkikauppa Oy:s kundregister”.', max_length=200, verbose_name='rekisterin nimi ruotsiksi')),
                        ('register_name_en', models.CharField(blank=True, help_text='Esim. ”Customer register of Esimerkkikauppa Oy”.', max_length=200, verbose_name='rekisterin nimi englanniksi')),
                    ],
                    options={
                        'verbose_name': 'rekisterinpitäjä',
                        'verbose_name_plural': 'rekisterinpitäjä',
                        'db_table': 'privacy_controller',
                    },
                ),
                migrations.CreateModel(
                    name='StatementDraft',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('texts', models.JSONField(blank=True, default=dict, help_text='Käsin kirjoitetut osat kielittäin: {kieli: {osa: teksti}}.', verbose_name='tekstit')),
                        ('imported', models.JSONField(blank=True, default=dict, help_text='Vanhan selosteen alkuperäiset osat ja puuteraportti tarkistamista varten.', verbose_name='tuodun selosteen raportti')),
                        ('imported_from', models.CharField(blank=True, max_length=255, verbose_name='tuotu tiedostosta')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='muokattu')),
                    ],
                    options={
                        'verbose_name': 'tietosuojaselosteen luonnos',
                        'verbose_name_plural': 'tietosuojaselosteen luonnos',
                        'db_table': 'privacy_statementdraft',
                    },
                ),
                migrations.CreateModel(
                    name='StatementRecipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name_fi', models.CharField(help_text='Esim. ”Posti Oy” tai ”kuljetusliikkeet”.', max_length=200, verbose_name='nimi tai ryhmä (suomi)')),
                        ('name_sv', models.CharField(blank=True, max_length=200, verbose_name='nimi tai ryhmä (ruotsi)')),
                        ('name_en', models.CharField(blank=True, max_length=200, verbose_name='nimi tai ryhmä (englanti)')),
                        ('role', models.CharField(choices=[('processor', 'henkilötietojen käsittelijä'), ('recipient', 'vastaanottaja'), ('authority', 'viranomainen')], default='processor', max_length=20, verbose_name='rooli')),
                        ('country', django_countries.fields.CountryField(default='FI', help_text='Maa, jossa vastaanottaja käsittelee tietoja.', max_length=2, verbose_name='maa')),
                        ('safeguard', models.CharField(blank=True, choices=[('', 'ei siirtoa EU:n tai ETA:n ulkopuolelle'), ('adequacy', 'Euroopan komission tietosuojan riittävyyttä koskeva päätös'), ('dpf', 'EU:n ja Yhdysvaltojen välinen tietosuojakehys (komission riittävyyspäätös 10.7.2023)'), ('scc', 'Euroopan komission vakiosopimuslausekkeet'), ('bcr', 'yritystä koskevat sitovat säännöt')], help_text='Pakollinen, kun maa on EU:n tai ETA:n ulkopuolella (45–47 art.).', max_length=20, verbose_name='siirron suojatoimi')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='järjestys')),
                        ('draft', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='statement.statementdraft', verbose_name='luonnos')),
                    ],
                    options={
                        'verbose_name': 'vastaanottaja',
                        'verbose_name_plural': 'vastaanottajat ja käsittelijät',
                        'db_table': 'privacy_statementrecipient',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='StatementVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(unique=True, verbose_name='versio')),
                        ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='julkaistu')),
                        ('content_hash', models.CharField(max_length=64, verbose_name='sisällön tiiviste')),
                        ('controller_name', models.CharField(blank=True, max_length=200, verbose_name='rekisterinpitäjä')),
                        ('rendered_html', models.JSONField(default=dict, help_text='Selosteen HTML kielittäin.', verbose_name='julkaistu sisältö')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='julkaisija')),
                    ],
                    options={
                        'verbose_name': 'tietosuojaselosteen versio',
                        'verbose_name_plural': 'tietosuojaselosteen versiot',
                        'db_table': 'privacy_statementversion',
                        'ordering': ['-number'],
                    },
                ),
                migrations.CreateModel(
                    name='StatementPdf',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(choices=[('fi', 'suomi'), ('sv', 'ruotsi'), ('en', 'englanti')], max_length=2, verbose_name='kieli')),
                        ('file', models.FileField(upload_to=statement.models._pdf_path, verbose_name='PDF')),
                        ('sha256', models.CharField(max_length=64, verbose_name='tiiviste')),
                        ('size', models.PositiveIntegerField(verbose_name='koko (tavua)')),
                        ('rendered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='muodostettu')),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pdfs', to='statement.statementversion', verbose_name='versio')),
                    ],
                    options={
                        'verbose_name': 'selosteen PDF',
                        'verbose_name_plural': 'selosteen PDF:t',
                        'db_table': 'privacy_statementpdf',
                        'constraints': [models.UniqueConstraint(fields=('version', 'language'), name='privacy_statementpdf_version_language')],
                    },
                ),
            ],
        ),
    ]
