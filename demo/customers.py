"""Deterministic, fast demo data: realistic Finnish customers with orders and deliveries.

Rows are generated in chunks and written with COPY on PostgreSQL (bulk_create elsewhere), with
primary keys assigned here so child rows can reference parents without a round trip. Everything
is written in one transaction: an interrupted run leaves nothing behind.
"""

import datetime as dt
import json
import multiprocessing
import queue
import random
import threading
import unicodedata
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from faker.providers.address.fi_FI import Provider as AddressData
from faker.providers.person.fi_FI import Provider as PersonData

from customers import validators as v
from customers.models import (
    BanChannel,
    BanScope,
    Carrier,
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    CustomerNote,
    Disclosure,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)
from customers.services import CARRIER_FIELDS
from demo.loading import (
    BULK_THRESHOLD,
    CHUNK_SIZE,
    COLUMNS,
    DeferredSchema,
    Writer,
    to_copy_text,
)
from statement.models import StatementRecipient
from statement.registry import registry

FIRST_NAMES = sorted(set(PersonData.first_names_female) | set(PersonData.first_names_male))
LAST_NAMES = sorted(PersonData.last_names)
CITIES = list(AddressData.cities)
STREETS = [p.strip() for p in AddressData.street_prefixes]
STREET_SUFFIXES = ["tie", "katu", "polku", "kuja", "raitti", "rinne"]
MOBILE_PREFIXES = ["40", "41", "44", "45", "46", "50"]
COMPANY_SUFFIXES = ["Oy", "Tmi", "Ky", "Oy Ab"]
PRODUCTS = [
    ("Postikortti, kesämaisema", "PK-101", Decimal("2.39"), Decimal("25.5")),
    ("Onnittelukortti", "PK-205", Decimal("3.19"), Decimal("25.5")),
    ("Lahjakortti 50 €", "LK-050", Decimal("50.00"), Decimal("0")),
    ("Kahvipaketti 500 g", "KA-500", Decimal("7.90"), Decimal("13.5")),
    ("Keittokirja", "KI-330", Decimal("26.32"), Decimal("14")),
    ("Toimistotuoli", "TT-900", Decimal("159.20"), Decimal("25.5")),
    ("Tulostinpaperi A4", "TP-A4", Decimal("5.50"), Decimal("25.5")),
    ("Anime-figuuri", "AF-042", Decimal("39.84"), Decimal("25.5")),
]
TRACKING_STEPS = [
    ("received", "Lähetys vastaanotettu kuljetettavaksi"),
    ("at_pickup_point", "Saapunut noutopisteeseen"),
    ("delivered", "Toimitettu vastaanottajalle"),
]
TRANSIT_STEP = ("in_transit", "Lähetys lajittelukeskuksessa")
# The carriers the register is seeded with (customers.0014), in that order.
CARRIER_KEYS = ("posti", "matkahuolto", "dbschenker", "postnord", "dhl", "budbee")
BAN_CHANNELS = [c.value for c in BanChannel]
BAN_SCOPES = [s.value for s in BanScope]
SOURCES = [s.value for s in Customer.Source]
# What a carrier receives (the same list the register's own shipments log).
DISCLOSED_FIELDS = json.dumps(sorted(CARRIER_FIELDS))
COMPANY_FRACTION = 0.1
_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_V4 = (0x4000 << 64) | (0x8000 << 48)


def _baskets(n: int, products=tuple(PRODUCTS)) -> list[tuple[tuple, Decimal, Decimal]]:
    """Return n ready-made order contents (lines, net, VAT) so orders need no arithmetic."""
    rng = random.Random(0)
    baskets = []
    for _ in range(n):
        lines, net, vat = [], Decimal("0.00"), Decimal("0.00")
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            product, sku, price, rate = rng.choice(products)
            quantity = rng.choice([1, 1, 1, 2, 3])
            line_net = (price * quantity).quantize(Decimal("0.01"))
            net += line_net
            vat += (line_net * rate / 100).quantize(Decimal("0.01"))
            lines.append((product, sku, quantity, price, rate))
        baskets.append((tuple(lines), net, vat))
    return baskets


BASKETS = _baskets(512)


@dataclass(frozen=True)
class Profile:
    """What a shop's customers and orders look like (demo.shops gives one per seed shop)."""

    products: tuple = tuple(PRODUCTS)
    # Share of customers that are companies with a Y-tunnus (1.0: a business-to-business shop).
    company_fraction: float = COMPANY_FRACTION
    # Weights of Customer.Source, in its order (registration, order, newsletter, gift card…).
    source_weights: tuple[int, ...] = (40, 40, 10, 5, 3, 2)
    # Carrier codes parcels go with; () for a shop whose orders are delivered electronically.
    carriers: tuple[str, ...] = CARRIER_KEYS

    def baskets(self) -> list[tuple[tuple, Decimal, Decimal]]:
        return BASKETS if self.products == tuple(PRODUCTS) else _baskets(512, self.products)


DEFAULT_PROFILE = Profile()


def ascii_slug(text: str) -> str:
    """Return text lower-cased with Finnish letters folded to ASCII, for demo email addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


@dataclass
class SeedSummary:
    """What a seed run wrote, table by table."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n


class _Ids:
    """Hand out primary keys above the current maximum of each table."""

    def __init__(self, models_: list[type[models.Model]]) -> None:
        self.next = {m: (m.objects.aggregate(m=Max("id"))["m"] or 0) + 1 for m in models_}

    def take(self, model: type[models.Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


ALL_MODELS = [
    Customer,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
    ConsentEvent,
    MarketingBan,
    Disclosure,
    CustomerNote,
]


class DemoGenerator:
    """Generate the rows of a chunk of demo customers from one random stream."""

    def __init__(
        self,
        seed: int,
        now: dt.datetime,
        tracking_events: int = 3,
        profile: Profile = DEFAULT_PROFILE,
    ) -> None:
        # The first and the last two steps are always there; the rest are sorting-centre scans.
        steps = TRACKING_STEPS[:1] + [TRANSIT_STEP] * max(0, tracking_events - 3)
        self.tracking_steps = (steps + TRACKING_STEPS[1:])[: max(tracking_events, 1)]
        self.rng = random.Random(seed)
        self.now = now
        self.profile = profile
        self.baskets = profile.baskets()
        # (key, name) of the profile's carriers, read from the register up front (seed_customers).
        self.carriers: list[tuple[str, str]] = []
        self.ids = _Ids(ALL_MODELS)
        self.used_numbers: set[str] = set()
        self.order_seq = self.ids.next[Order]
        # carrier code -> (recipient id, name) in the registry; filled from the database up front.
        self.carrier_recipients: dict[str, tuple[int | None, str]] = {}

    def _uuid(self) -> str:
        """Return a random version-4 UUID as 32 hex digits (cheaper than uuid.UUID objects)."""
        value = self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_V4
        return f"{value:032x}"

    def _moment(self, days_back: int) -> dt.datetime:
        return self.now - dt.timedelta(
            days=self.rng.randint(0, days_back), seconds=self.rng.randint(0, 86_399)
        )

    def _phone(self) -> str:
        return f"+358{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randint(1_000_000, 9_999_999)}"

    def _business_id(self) -> str:
        while True:
            body = str(self.rng.randint(1_000_000, 3_299_999))
            digit = v.business_id_check_digit(body)
            if digit is not None:
                return f"{body}-{digit}"

    def customer_numbers(self, n: int) -> list[str]:
        """Return n new customer numbers unused in this run and in the database."""
        numbers: list[str] = []
        while len(numbers) < n:
            candidate = v.new_customer_number(self.rng)
            if candidate not in self.used_numbers:
                self.used_numbers.add(candidate)
                numbers.append(candidate)
        return numbers

    def chunk(self, numbers: list[str]) -> dict[type[models.Model], list[tuple]]:
        """Return the rows of one chunk of customers, by model."""
        rows: dict[type[models.Model], list[tuple]] = {m: [] for m in ALL_MODELS}
        for number in numbers:
            self._customer(number, rows)
        return rows

    def _customer(self, number: str, rows: dict) -> None:
        rng = self.rng
        cid = self.ids.take(Customer)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        city = rng.choice(CITIES)
        street = f"{rng.choice(STREETS)}{rng.choice(STREET_SUFFIXES)} {rng.randint(1, 120)}"
        postal_code = f"{rng.randint(0, 99):02d}{rng.randint(0, 9)}{rng.randint(0, 9)}0"
        email = f"{ascii_slug(first)}.{ascii_slug(last)}.{cid}@example.fi"
        company, business_id = "", ""
        if rng.random() < self.profile.company_fraction:
            company = f"{last} {rng.choice(COMPANY_SUFFIXES)}"
            business_id = self._business_id()
        created = self._moment(5 * 365)
        birth = None
        if rng.random() < 0.3:
            birth = dt.date(rng.randint(1940, 2008), rng.randint(1, 12), rng.randint(1, 28))
        source = rng.choices(SOURCES, weights=self.profile.source_weights)[0]
        n_orders = min(rng.choice([0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6]), 8)
        last_activity = created
        for _ in range(n_orders):
            ordered = created + (self.now - created) * rng.random()
            last_activity = max(last_activity, ordered)
            self._order(cid, f"{first} {last}", street, postal_code, city, email, ordered, rows)
        rows[Customer].append(
            (
                cid,
                self._uuid(),
                number,
                "",
                first,
                last,
                street,
                postal_code,
                city,
                "FI",
                self._phone(),
                email,
                company,
                business_id,
                "fi" if rng.random() < 0.9 else "sv",
                birth,
                "",
                "",
                source,
                False,
                created,
                self.now,
                last_activity,
                None,
            )
        )
        if rng.random() < 0.4:
            self._consent(cid, created, rows)
        if rng.random() < 0.05:
            rows[MarketingBan].append(
                (
                    self.ids.take(MarketingBan),
                    cid,
                    rng.choice(BAN_CHANNELS),
                    rng.choice(BAN_SCOPES),
                    self._moment(365),
                    None,
                    "portal",
                )
            )
        if rng.random() < 0.1:
            rows[CustomerNote].append(
                (
                    self.ids.take(CustomerNote),
                    cid,
                    None,
                    "email",
                    rng.choice(
                        [
                            "Asiakas kysyi toimituksen tilaa.",
                            "Reklamaatio: tuote saapui vaurioituneena, hyvitys tehty.",
                            "Asiakas pyysi laskun kopiota.",
                        ]
                    ),
                    self._moment(365),
                )
            )

    def _consent(self, cid: int, created: dt.datetime, rows: dict) -> None:
        rng = self.rng
        channel = rng.choice([Channel.EMAIL, Channel.EMAIL, Channel.SMS]).value
        granted_at = created + dt.timedelta(minutes=5)
        rows[ConsentEvent].append(
            (
                self.ids.take(ConsentEvent),
                cid,
                ConsentPurpose.NEWSLETTER.value,
                channel,
                True,
                granted_at,
                "web_shop",
                None,
                "Haluan tilata uutiskirjeen.",
                "",
            )
        )
        if rng.random() < 0.15:
            rows[ConsentEvent].append(
                (
                    self.ids.take(ConsentEvent),
                    cid,
                    ConsentPurpose.NEWSLETTER.value,
                    channel,
                    False,
                    granted_at + (self.now - granted_at) * rng.random(),
                    "portal",
                    None,
                    "",
                    "",
                )
            )

    def _order(self, cid, name, street, postal_code, city, email, ordered, rows) -> None:
        rng = self.rng
        oid = self.ids.take(Order)
        lines, net, vat = self.baskets[rng.randrange(len(self.baskets))]
        for product, sku, quantity, price, rate in lines:
            rows[OrderLine].append(
                (self.ids.take(OrderLine), oid, product, sku, quantity, price, rate)
            )
        age_days = (self.now - ordered).days
        delivered = age_days > 7
        invoice = "paid" if age_days > 30 or rng.random() < 0.8 else "open"
        if invoice == "open" and age_days > 60 and rng.random() < 0.3:
            invoice = "collection"
        status = "shipped" if delivered else rng.choice(["new", "paid"])
        rows[Order].append(
            (
                oid,
                self._uuid(),
                cid,
                f"T{oid:08d}",
                "",
                ordered,
                status,
                invoice,
                name,
                street,
                postal_code,
                city,
                email,
                "",
                name,
                street,
                postal_code,
                city,
                "FI",
                "",
                net,
                vat,
                net + vat,
                ordered,
            )
        )
        if status != "shipped" or not self.carriers:
            return
        carrier, carrier_name = rng.choice(self.carriers)
        sid = self.ids.take(Shipment)
        shipped = ordered + dt.timedelta(hours=rng.randint(4, 48))
        arrived = shipped + dt.timedelta(days=rng.randint(1, 4))
        rows[Shipment].append(
            (
                sid,
                self._uuid(),
                oid,
                "",
                carrier,
                f"JJFI{rng.randint(10**11, 10**12 - 1)}",
                shipped,
                arrived,
            )
        )
        step = (arrived - shipped) / len(self.tracking_steps)
        for i, (status_code, description) in enumerate(self.tracking_steps):
            rows[TrackingEvent].append(
                (
                    self.ids.take(TrackingEvent),
                    sid,
                    shipped + step * i,
                    status_code,
                    description,
                    city if i >= 1 else "",
                )
            )
        recipient_id, recipient_name = self.carrier_recipients.get(carrier, (None, carrier_name))
        rows[Disclosure].append(
            (
                self.ids.take(Disclosure),
                cid,
                oid,
                recipient_id,
                recipient_name,
                "carrier",
                DISCLOSED_FIELDS,
                "Tilauksen toimitus",
                shipped,
            )
        )


def _produce(generator: DemoGenerator, count: int, as_text: bool, chunks) -> None:
    """Generate every chunk into the queue, then None; an error is passed on as a RuntimeError."""
    try:
        for start in range(0, count, CHUNK_SIZE):
            n = min(CHUNK_SIZE, count - start)
            numbers = generator.customer_numbers(n)
            payload = {
                model: (len(rows), to_copy_text(rows) if as_text else rows)
                for model, rows in generator.chunk(numbers).items()
            }
            chunks.put((n, payload))
        chunks.put(None)
    except BaseException as exc:
        chunks.put(RuntimeError(f"Generating demo data failed: {exc!r}"))


def seed_customers(
    *,
    count: int,
    seed: int,
    tracking_events: int = 3,
    progress: Callable[[int], None] | None = None,
    profile: Profile = DEFAULT_PROFILE,
) -> SeedSummary:
    """Write `count` demo customers with their orders, deliveries, consents, bans and notes.

    Deterministic for a given seed (dates are relative to the day of the run). One transaction.
    Generation runs beside the writing: on PostgreSQL in a forked process (its own core, COPY
    text sent through a queue), elsewhere in a thread.
    """
    summary = SeedSummary()
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    generator = DemoGenerator(seed, midnight, tracking_events, profile)
    # The generator never touches the database: it learns the numbers in use up front.
    generator.used_numbers.update(Customer.objects.values_list("number", flat=True).iterator())
    names = Carrier.objects.names()
    generator.carriers = [(key, names[key]) for key in profile.carriers if key in names]
    generator.carrier_recipients = {
        r.carrier: (r.pk, r.name_fi)
        for r in registry().filter(kind=StatementRecipient.Kind.CARRIER)
    }
    writer = Writer()
    if writer.postgres:
        context = multiprocessing.get_context("fork")
        chunks = context.Queue(maxsize=3)
        producer = context.Process(
            target=_produce, args=(generator, count, True, chunks), daemon=True
        )
    else:
        chunks = queue.Queue(maxsize=2)
        producer = threading.Thread(
            target=_produce, args=(generator, count, False, chunks), daemon=True
        )
    bulk = writer.postgres and count >= BULK_THRESHOLD
    try:
        with transaction.atomic(), DeferredSchema(ALL_MODELS) if bulk else nullcontext():
            producer.start()
            while (item := chunks.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                n, payload = item
                for model, (n_rows, rows) in payload.items():
                    writer.write(model, COLUMNS[model], rows)
                    summary.add(str(model._meta.verbose_name_plural), n_rows)
                if progress:
                    progress(n)
            writer.reset_sequences(ALL_MODELS)
    finally:
        if isinstance(producer, multiprocessing.process.BaseProcess) and producer.is_alive():
            producer.terminate()
        producer.join()
    if writer.postgres:
        # Without fresh statistics the planner takes a bulk-loaded table for an empty one and
        # picks parallel scans for single-customer lookups (tens of ms instead of tenths).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(m._meta.db_table for m in ALL_MODELS))
    return summary
