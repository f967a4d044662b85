"""errors.py: each domain error's HTTP status is the one the Firebase SDK gives its callable code,
so REST and callables report every error the same way."""

from __future__ import annotations

import pytest
from firebase_functions import https_fn
from firebase_functions.https_fn import _error_code_map

from sessionbase import errors

ERRORS = [
    cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.SessionbaseError)
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda cls: cls.__name__)
def test_each_error_status_is_the_sdks_status_for_its_code(error):
    code = https_fn.FunctionsErrorCode(error.code)
    assert _error_code_map[code].status == error.status
