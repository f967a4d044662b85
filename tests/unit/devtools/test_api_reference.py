"""devtools/api_reference.py: docs/api.md's reference sections are what the operation table and
the models say."""

from devtools import api_reference


def test_the_reference_is_current():
    current = api_reference.DOC.read_text()
    assert api_reference.rendered(current) == current, (
        "docs/api.md is out of date: run python -m devtools.api_reference"
    )


def test_every_section_is_generated_and_names_every_operation():
    current = api_reference.DOC.read_text()
    sections = {m.group(2) for m in api_reference.SECTION.finditer(current)}
    assert sections == set(api_reference.RENDERERS)
    for operation in api_reference.OPERATIONS:
        assert f"`{operation.name}`" in current


def test_the_check_notices_a_stale_reference():
    current = api_reference.DOC.read_text()
    stale = current.replace("`createSession`", "`makeSession`", 1)
    assert api_reference.rendered(stale) != stale
