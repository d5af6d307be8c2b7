"""Users' own indicators (`migprofile import --indicator ID --title ...`), read from the store
they were imported into and made known to the catalogue's `lookup`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from migprofile.indicators.catalogue import (
    BY_ID,
    CATALOGUE,
    USER_BY_ID,
    Indicator,
    register_user_indicators,
)

if TYPE_CHECKING:
    from migprofile.store import Store


def know_user_indicators(store: Store) -> tuple[Indicator, ...]:
    """Register the store's user indicators with `lookup`; returns them, by id."""
    register_user_indicators(store.user_indicators())
    return tuple(USER_BY_ID[k] for k in sorted(USER_BY_ID))


def measured_differently(concept: str) -> tuple[Indicator, ...]:
    """The user indicators that measure a standard indicator by another definition."""
    return tuple(i for i in USER_BY_ID.values() if i.concept == concept)


def is_catalogue_id(indicator_id: str) -> bool:
    return indicator_id in BY_ID


def all_indicators() -> tuple[Indicator, ...]:
    """The catalogue, then the user indicators last registered (by id)."""
    return CATALOGUE + tuple(USER_BY_ID[k] for k in sorted(USER_BY_ID))


def is_listed(indicator_id: str) -> bool:
    """A catalogue id or a registered user indicator (not a source's own code)."""
    return indicator_id in BY_ID or indicator_id in USER_BY_ID
