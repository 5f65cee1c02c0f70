"""Withdraw the consents in force that a ban in force forbids (0.4.0 makes the two exclusive).

Until 0.4.0 a customer could have, say, a newsletter consent by email and a direct-marketing ban
by email in force at once; the audiences already honoured the ban. From now on a ban withdraws
the consents it contradicts (customers.services), so the existing pairs are settled the same
way: one withdrawal event per contradicted consent, at the ban's time, way in and statement
version. Running it again finds nothing left to withdraw.
"""

from django.db import migrations

# customers.marketing.BANS_AGAINST_CONSENT as of this release, written out so that the
# migration keeps meaning what it meant.
BANS_AGAINST_CONSENT = {
    "direct_marketing": ("direct_marketing", "distance_selling"),
    "newsletter": ("direct_marketing", "distance_selling"),
    "partners": ("direct_marketing", "distance_selling"),
    "research": ("research",),
}
CHANNELS = ("email", "sms", "post", "phone")


def withdraw(apps, schema_editor):
    ConsentEvent = apps.get_model("customers", "ConsentEvent")
    MarketingBan = apps.get_model("customers", "MarketingBan")
    bans = MarketingBan.objects.filter(lifted_at__isnull=True).order_by("created_at", "id")
    for ban in bans.iterator():
        purposes = [p for p, scopes in BANS_AGAINST_CONSENT.items() if ban.scope in scopes]
        channels = CHANNELS if ban.channel == "all" else (ban.channel,)
        state = {}
        events = ConsentEvent.objects.filter(
            customer_id=ban.customer_id, purpose__in=purposes, channel__in=channels
        ).order_by("occurred_at", "id")
        for purpose, channel, granted in events.values_list("purpose", "channel", "is_granted"):
            state[(purpose, channel)] = granted
        ConsentEvent.objects.bulk_create(
            ConsentEvent(
                customer_id=ban.customer_id,
                purpose=purpose,
                channel=channel,
                is_granted=False,
                # After the consent it withdraws, even when the ban is older than the consent.
                occurred_at=max(ban.created_at, last),
                via=ban.via,
                statement_version_id=ban.statement_version_id,
            )
            for (purpose, channel), granted in sorted(state.items())
            if granted
            for last in [
                events.filter(purpose=purpose, channel=channel)
                .values_list("occurred_at", flat=True)
                .last()
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("customers", "0010_consent_evidence")]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
