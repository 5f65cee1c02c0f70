"""Art. 19 notices name their customer and date, so a customer's own change needs no case."""

import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def name_customer_and_date(apps, schema_editor):
    """Give every notice its request's customer, and the day it was listed: the decision's."""
    Notification = apps.get_model("rights", "RecipientNotification")
    Request = apps.get_model("rights", "DataSubjectRequest")
    request = Request.objects.filter(pk=OuterRef("request_id"))
    Notification.objects.update(
        customer_id=Subquery(request.values("customer_id")[:1]),
        listed_at=Coalesce(
            Subquery(request.values("decided_at")[:1]),
            Subquery(request.values("received_at")[:1]),
            F("listed_at"),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0010_consent_evidence"),
        ("rights", "0004_citation_style_of_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipientnotification",
            name="customer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="recipient_notifications",
                to="customers.customer",
                verbose_name="asiakas",
            ),
        ),
        migrations.AddField(
            model_name="recipientnotification",
            name="listed_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                default=django.utils.timezone.now,
                verbose_name="kirjattu",
            ),
        ),
        migrations.AlterField(
            model_name="recipientnotification",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="rights.datasubjectrequest",
                verbose_name="pyyntö",
            ),
        ),
        migrations.RunPython(name_customer_and_date, migrations.RunPython.noop),
    ]
