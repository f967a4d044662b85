"""lazy.py: a package's submodules imported on first use; a misspelt name is an AttributeError, a
module whose own import fails says why."""

from __future__ import annotations

import pytest

from sessionbase import lazy, services


def test_a_misspelt_module_is_an_attribute_error():
    with pytest.raises(AttributeError):
        _ = services.sesions  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = services.sessions.get_sesion  # type: ignore[attr-defined]


def test_a_module_that_fails_its_own_import_says_so(tmp_path, monkeypatch):
    """Only a missing module is an AttributeError; a module whose own import fails raises that."""
    package = tmp_path / "lazy_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "broken.py").write_text("import no_such_module_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    find = lazy.submodules("lazy_probe")
    with pytest.raises(ModuleNotFoundError, match="no_such_module_anywhere"):
        find("broken")
    with pytest.raises(AttributeError):
        find("absent")
