"""The importer's catalogue keys and the purpose catalogue agree: no key is left unexplained.

The importer (statement.importer.catalogue_keys) recognises purposes and sources by key; the
catalogue (statement.purpose_catalogue) says what each key enables. A purpose key is a catalogue
entry, an alias of one, or explicitly not offered (the shop writes it as its own purpose).
"""

import pytest
from django.utils import translation

from statement.importer.catalogue_keys import PURPOSE_KEYS, SOURCE_KEYS
from statement.purpose_catalogue import (
    CATALOGUE,
    DECLARED_SOURCES,
    IMPORTED_AS,
    NOT_OFFERED,
    SOURCES,
    catalogue_key,
    imported_label,
)


@pytest.mark.parametrize("key", PURPOSE_KEYS)
def test_every_importer_purpose_key_maps_to_an_entry_or_is_listed_as_not_offered(key):
    entry = catalogue_key(key)
    assert (entry is None) == (key in NOT_OFFERED), key
    if entry is not None:
        assert entry in CATALOGUE


def test_no_key_is_listed_that_the_importer_does_not_recognise():
    assert set(NOT_OFFERED) <= set(PURPOSE_KEYS)
    assert set(IMPORTED_AS) <= set(PURPOSE_KEYS)
    assert set(IMPORTED_AS.values()) <= set(CATALOGUE)
    assert not set(IMPORTED_AS) & set(CATALOGUE)  # an alias is never an entry of its own


def test_the_sources_the_importer_recognises_are_the_ones_the_catalogue_names():
    assert set(SOURCE_KEYS) == set(SOURCES)
    assert set(SOURCES) >= DECLARED_SOURCES


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_each_recognised_purpose_has_one_name_on_the_onboarding_page(language):
    with translation.override(language):
        names = [str(imported_label(key)) for key in PURPOSE_KEYS]
    assert all(names) and len(set(names)) == len(names)
