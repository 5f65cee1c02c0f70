from django.core.management.base import BaseCommand, CommandError

from rights.erasure import erase_customer, plan_erasure
from rights.ledger import LedgerUnwritable
from rights.management.commands._customer import customer_by_number
from rights.models import ErasureLedger


class Command(BaseCommand):
    help = (
        "Erase a customer as the personal-data declaration says (GDPR Art. 17), keeping only "
        "what a legal hold needs. --dry-run prints the plan. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("customer_number")
        parser.add_argument("--dry-run", action="store_true", help="Print the plan only.")

    def handle(self, *args, customer_number: str, dry_run: bool, **options) -> None:
        customer = customer_by_number(customer_number)
        plan = plan_erasure(customer=customer)
        for item in plan.items:
            kept = ""
            if item.legal_reason:
                until = item.kept_until.isoformat() if item.kept_until else item.criterion
                kept = f" — {item.legal_reason}; {until}"
            self.stdout.write(
                f"{item.model}.{item.field}: {item.action.value} ({item.rows} rows){kept}"
            )
        for hold in plan.holds:
            self.stdout.write(f"HOLD {hold}")
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
            return
        try:
            result = erase_customer(customer=customer, reason=ErasureLedger.Reason.STAFF)
        except LedgerUnwritable as exc:
            raise CommandError(
                f"Nothing was erased: the erasure ledger file {exc} cannot be written "
                "(ERASURE_LEDGER_FILE)."
            ) from exc
        self.stdout.write(
            f"Erased: {sum(result.deleted.values())} rows deleted, "
            f"{sum(result.anonymised.values())} rows anonymised, "
            f"{result.suppressed} contacts suppressed."
        )
