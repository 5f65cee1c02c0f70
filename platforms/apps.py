from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("Verkkokauppa ja uutiskirjepalvelu")

    def ready(self) -> None:
        from platforms import outbox
        from privacy.connected_systems import (
            register_ban_teller,
            register_erasure_teller,
            register_shop_id_source,
        )

        # An erasure or a ban in the register reaches the web shop and the newsletter tool.
        register_erasure_teller(outbox.tell_erasure)
        register_ban_teller(outbox.tell_ban)
        # The shop's ids of an erased customer go to the ledger (hashed): a late webhook or
        # export row of them is refused.
        register_shop_id_source(outbox.linked_shop_ids)
