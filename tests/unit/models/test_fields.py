"""models/fields.py: which ids can name a Firestore document (an id that cannot is a 400)."""

from __future__ import annotations

import pytest

from sessionbase.models.fields import is_document_id
from sessionbase.models.sessions import LinkBackendSession
from tests.unit.models.refusals import refused_fields


@pytest.mark.parametrize("value", ["__x__", "a/b", "", "x" * 129, "..", "ü"])
def test_ids_that_cannot_name_a_document(value):
    assert not is_document_id(value)
    assert refused_fields(LinkBackendSession, {"backendSessionId": value}) == {"backendSessionId"}


@pytest.mark.parametrize("value", ["abc", "A-b_9", "__x", "x" * 128])
def test_ids_that_can(value):
    assert is_document_id(value)
