"""Fill an empty register with a demo shop: controller, staff accounts and customers."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from customers.models import Customer
from demo.customers import seed_customers
from demo.restriction_lists import ensure_demo_restriction_lists
from demo.shop import ensure_demo_controller, ensure_demo_staff, ensure_demo_statement
from demo.shops import SHOPS, publish_shop, set_up_shop
from statement.models import Controller


class Command(BaseCommand):
    help = (
        "Create the demo shop Esimerkkikauppa Oy with staff accounts for the three roles and N "
        "realistic Finnish customers with orders, deliveries, consents and bans. Deterministic "
        "for a given --seed. Refuses to write into a non-empty register without --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=200, help="How many customers.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--append", action="store_true", help="Add to a register that already has customers."
        )
        parser.add_argument(
            "--tracking-events",
            type=int,
            default=3,
            help="Tracking events per shipment (the L benchmark uses 10).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the register already has customers (for `make run`).",
        )
        parser.add_argument(
            "--shop",
            choices=sorted(SHOPS),
            help="Set up one of the seed shops from its old statement (docs/shops.md) instead "
            "of Esimerkkikauppa Oy.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, customers: int, seed: int, append: bool, no_progress: bool, **opts):
        if customers < 0:
            raise CommandError("--customers must be zero or more.")
        if opts["if_empty"] and Customer.objects.exists():
            return
        if not append and Customer.objects.exists():
            raise CommandError(
                "The register already has customers; use --append to add demo customers to it."
            )
        shop = SHOPS[opts["shop"]] if opts.get("shop") else None
        if shop is not None and Controller.current() is not None:
            raise CommandError("--shop sets up a new register: this one already has a controller.")
        if shop is None:
            ensure_demo_controller()
        else:
            set_up_shop(shop)
        staff = ensure_demo_staff()
        started = time.monotonic()
        with tqdm(
            total=customers,
            unit=" customers",
            disable=no_progress or customers < 1000,
            file=self.stderr,
            dynamic_ncols=True,
        ) as bar:
            summary = seed_customers(
                count=customers,
                seed=seed,
                tracking_events=opts["tracking_events"],
                progress=bar.update,
                **({"profile": shop.customer_profile()} if shop else {}),
            )
        lists = ensure_demo_restriction_lists()
        # Published last: the statement tells that postal and phone audiences are screened
        # against the restriction lists only once lists have been imported.
        statement = ensure_demo_statement() if shop is None else publish_shop()
        controller = Controller.current()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo shop: {controller.name}"))
        self.stdout.write(f"  privacy statement: version {statement.number}")
        for imported in lists:
            self.stdout.write(f"  restriction list ({imported.service}): {imported.entry_count}")
        for label, n in summary.counts.items():
            self.stdout.write(f"  {label}: {n:,}".replace(",", " "))
        self.stdout.write(f"Written in {elapsed:.1f} s.")
        if staff:
            # The staff panel asks for a TOTP code: scan the otpauth URL into an authenticator.
            lines = [
                f"{username} / {password}  ({role})\n    TOTP: {url}"
                for username, role, password, url in staff
            ]
            credentials = Path(settings.DEMO_CREDENTIALS_FILE)
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text("\n".join(lines) + "\n", encoding="utf-8")
            self.stdout.write("Staff accounts (username / password):")
            for line in lines:
                self.stdout.write(f"  {line}")
