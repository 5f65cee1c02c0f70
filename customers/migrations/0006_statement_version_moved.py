"""Consents and bans point to the statement version in its new app (state only: same table).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0005_ban_register'),
        ('statement', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='consentevent',
                    name='statement_version',
                    field=models.ForeignKey(blank=True, help_text='Versio, jonka asiakas näki antaessaan tai peruessaan suostumuksen.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='statement.statementversion', verbose_name='tietosuojaselosteen versio'),
                ),
                migrations.AlterField(
                    model_name='marketingban',
                    name='statement_version',
                    field=models.ForeignKey(blank=True, help_text='Versio, joka oli voimassa, kun asiakas asetti kiellon itse.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='statement.statementversion', verbose_name='tietosuojaselosteen versio'),
                ),
            ],
        ),
    ]
