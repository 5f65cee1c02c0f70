import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# On PostgreSQL the audit log refuses UPDATE always, and DELETE of any entry still inside its
# retention (privacy.vocabulary.AUDIT_LOG), so the retention sweep can prune and nobody can
# rewrite history. TRUNCATE (test database flushes) is not a row operation and is unaffected.
CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION privacy_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.occurred_at < now() - interval '2 years' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'privacy_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_auditentry_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditentry
    FOR EACH ROW EXECUTE FUNCTION privacy_auditentry_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS privacy_auditentry_append_only ON privacy_auditentry;
DROP FUNCTION IF EXISTS privacy_auditentry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No params: the trigger body uses %, which would be read as a placeholder.
        schema_editor.execute(CREATE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0003_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("occurred_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="aika")),
                ("actor_label", models.CharField(blank=True, help_text="Käyttäjätunnus kirjaushetkellä.", max_length=150, verbose_name="käyttäjätunnus")),
                ("action", models.CharField(choices=[("login", "kirjautuminen"), ("login_failed", "epäonnistunut kirjautuminen"), ("view", "tietojen katselu"), ("search", "asiakashaku"), ("add", "lisäys"), ("change", "muutos"), ("delete", "poisto"), ("export", "tietojen vienti"), ("request", "tietosuojapyynnön käsittely")], max_length=20, verbose_name="toimenpide")),
                ("customer_id", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="asiakkaan id")),
                ("object_label", models.CharField(blank=True, help_text="Mallin nimi ja rivin id, esim. customers.order:12; ei henkilötietoja.", max_length=200, verbose_name="kohde")),
                ("details", models.JSONField(blank=True, default=dict, help_text="Ehdot, määrät ja tunnisteet; ei henkilötietoja.", verbose_name="lisätiedot")),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP-osoite")),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="käyttäjä")),
            ],
            options={
                "verbose_name": "käyttölokin merkintä",
                "verbose_name_plural": "käyttöloki",
                "ordering": ["-occurred_at", "-id"],
                "permissions": [("export_audience", "Voi viedä markkinointiyleisöjä")],
                "indexes": [
                    models.Index(fields=["customer_id", "-occurred_at"], name="audit_customer_idx"),
                    models.Index(fields=["actor", "-occurred_at"], name="audit_actor_idx"),
                    models.Index(fields=["-occurred_at"], name="audit_occurred_idx"),
                ],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
