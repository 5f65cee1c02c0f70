"""The public statement page, rendered once per language and then served from the cache.

The current statement only changes when a version is published (or the controller's details
change), so its page is the same for every visitor in a language: nothing on it depends on the
visitor (no form, no session, no messages). It is cached under a generation token; publishing a
version or saving the controller replaces the token once the transaction commits, so the next
request renders the new version, and a page rendered from the old version by a request that was
already running is stored under the old token, which is never read again.

With a cache shared by the workers (Redis, or the database cache) a publish is seen at once by
all of them; with a per-process cache (locmem) the other workers keep their copy for at most
PAGE_SECONDS, as long as the current statement's PDF may be cached by browsers and proxies.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

from statement.models import Controller, StatementVersion

GENERATION_KEY = "statement-page:generation"
PAGE_SECONDS = 300
# The portal page furniture of the generation this process saw last (page_furniture).
_furniture: dict[str, dict] = {}


def current_generation() -> str:
    """Return the token the pages rendered now are stored under (read before rendering)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        # First use, or the token was evicted: start a new generation (older pages never match).
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        token = cache.get(GENERATION_KEY)
    return token


def _page_key(generation: str, language: str) -> str:
    return f"statement-page:{generation}:{language}"


def get_page(generation: str, language: str) -> bytes | None:
    """Return the cached current-statement page in a language, or None."""
    return cache.get(_page_key(generation, language))


def store_page(generation: str, language: str, content: bytes) -> None:
    """Keep the rendered current-statement page of a language under its generation."""
    cache.set(_page_key(generation, language), content, PAGE_SECONDS)


def invalidate() -> None:
    """Forget every cached statement page once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, secrets.token_hex(8), None))


def invalidate_on_change(sender, **kwargs) -> None:
    """Signal receiver: a version was published or the controller's details changed."""
    if kwargs.get("raw"):
        return
    invalidate()


def page_furniture() -> dict:
    """Return what every portal page shows in its header and footer, cached like the page.

    The controller's name and customer-service address and the current statement's number, date
    and languages (those the shop serves: the portal offers only them), as plain values: two
    queries on every portal page otherwise, one of them reading the whole published statement in
    every language.
    """

    generation = current_generation()
    furniture = _furniture.get(generation)
    if furniture is not None:
        return furniture
    key = f"statement-page:{generation}:furniture"
    furniture = cache.get(key)
    if furniture is None:
        controller = Controller.objects.order_by("pk").values("name", "email").first()
        statement = (
            StatementVersion.objects.order_by("-number")
            .values("number", "published_at", "snapshot__languages")
            .first()
        )
        furniture = {"controller": controller, "statement": statement}
        cache.set(key, furniture, PAGE_SECONDS)
    # A generation's furniture never changes, so each process also keeps the current one: one
    # cache read (the generation) on a portal page instead of two.
    _furniture.clear()
    _furniture[generation] = furniture
    return furniture
