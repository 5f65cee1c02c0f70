"""Telling the systems connected to the register (web shop, newsletter tool) of an erasure or a ban.

The register erases (`rights.erasure`) and records bans (`customers.services`) in layers below
the app that knows the connected systems (`platforms`), so that app registers what it does here
(`platforms.apps`), as the register registers its marketing rules (`privacy.marketing_rules`).
Each registered function runs inside the caller's transaction, before anything is erased, and
returns what it queued: the erasure and the messages to the systems commit or roll back together.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Told:
    """A connected system asked to erase a person or stop marketing to them, and when."""

    system: str
    at: dt.datetime


ErasureTeller = Callable[..., list[Told]]
BanTeller = Callable[..., list[Told]]

_erasure_tellers: list[ErasureTeller] = []
_ban_tellers: list[BanTeller] = []
_shop_id_sources: list[Callable[..., list[str]]] = []


def register_erasure_teller(teller: ErasureTeller) -> None:
    """Register `teller(customer=, case=)`, called as a customer is erased (once per process)."""
    if teller not in _erasure_tellers:
        _erasure_tellers.append(teller)


def register_ban_teller(teller: BanTeller) -> None:
    """Register `teller(customer=, ban=)`, called as a new marketing ban is recorded."""
    if teller not in _ban_tellers:
        _ban_tellers.append(teller)


def register_shop_id_source(source: Callable[..., list[str]]) -> None:
    """Register `source(customer=)`, returning the ids connected web shops have for a customer."""
    if source not in _shop_id_sources:
        _shop_id_sources.append(source)


def shop_ids(*, customer: Any) -> list[str]:
    """Return the ids the connected web shops have for `customer` (besides its external_id)."""
    return [platform_id for source in _shop_id_sources for platform_id in source(customer=customer)]


def tell_erasure(*, customer: Any, case: Any = None) -> list[Told]:
    """Queue the erasure of `customer` to every connected system that holds them."""
    return [told for teller in _erasure_tellers for told in teller(customer=customer, case=case)]


def tell_ban(*, customer: Any, ban: Any) -> list[Told]:
    """Queue a new marketing ban of `customer` to every connected system that markets to them."""
    return [told for teller in _ban_tellers for told in teller(customer=customer, ban=ban)]
