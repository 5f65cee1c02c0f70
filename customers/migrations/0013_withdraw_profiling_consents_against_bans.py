"""Withdraw the profiling consents in force that a ban in force forbids.

0.4.0 makes a consent and a ban against it exclusive (customers.0011 settled the marketing and
research consents). A consent to targeting by purchases gives way to a ban of profiling or of
direct marketing too; the pairs already in the register are settled the same way: one
withdrawal event per contradicted consent, at the ban's time (or just after the consent's, if
the ban is older), way in and statement version. Running it again finds nothing left.
"""

from django.db import migrations

# customers.marketing.BANS_AGAINST_CONSENT["profiling"] as of this release, written out so that
# the migration keeps meaning what it meant.
PROFILING_BANS = ("direct_marketing", "distance_selling", "profiling")
CHANNELS = ("email", "sms", "post", "phone")


def withdraw(apps, schema_editor):
    ConsentEvent = apps.get_model("customers", "ConsentEvent")
    MarketingBan = apps.get_model("customers", "MarketingBan")
    bans = MarketingBan.objects.filter(lifted_at__isnull=True, scope__in=PROFILING_BANS)
    for ban in bans.order_by("created_at", "id").iterator():
        channels = CHANNELS if ban.channel == "all" else (ban.channel,)
        latest = {}
        events = ConsentEvent.objects.filter(
            customer_id=ban.customer_id, purpose="profiling", channel__in=channels
        ).order_by("occurred_at", "id")
        for channel, granted, when in events.values_list("channel", "is_granted", "occurred_at"):
            latest[channel] = (granted, when)
        ConsentEvent.objects.bulk_create(
            ConsentEvent(
                customer_id=ban.customer_id,
                purpose="profiling",
                channel=channel,
                is_granted=False,
                occurred_at=max(ban.created_at, when),
                via=ban.via,
                statement_version_id=ban.statement_version_id,
            )
            for channel, (granted, when) in sorted(latest.items())
            if granted
        )


class Migration(migrations.Migration):
    dependencies = [("customers", "0012_citation_style_of_labels")]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
