"""firestore.rules, proven by a table-driven matrix of actor × target × operation.

The matrix lives in rules_matrix.py; docs/security-rules.md states the policy it encodes.
"""

from __future__ import annotations

import pytest

from tests.rules.rules_harness import REPO_ROOT
from tests.rules.rules_matrix import ACTORS, CASES, ROWS, Case, markdown_table

pytestmark = pytest.mark.emulator

MIN_CASES = 150


def test_matrix_is_large_enough() -> None:
    actor_names = {a.name for a in ACTORS}
    assert len(actor_names) == len(ACTORS), "actor names must be unique"
    assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
    for row in ROWS:
        assert row.allowed <= actor_names, f"{row.label()}: unknown actor in {row.allowed}"
    assert len(CASES) >= MIN_CASES
    print(f"rules matrix: {len(CASES)} cases")


def test_docs_show_this_matrix() -> None:
    # Regenerate with: PYTHONPATH=. python tests/rules/rules_matrix.py
    doc = (REPO_ROOT / "docs" / "security-rules.md").read_text()
    start, end = "<!-- matrix:start -->\n", "\n<!-- matrix:end -->"
    assert start in doc, "matrix start marker missing from docs/security-rules.md"
    assert end in doc, "matrix end marker missing from docs/security-rules.md"
    embedded = doc.split(start, 1)[1].split(end, 1)[0].strip()
    assert embedded == markdown_table(), "docs/security-rules.md matrix is out of date"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(matrix_outcomes, case: Case) -> None:
    outcome = matrix_outcomes[case.id]
    if isinstance(outcome, Exception):
        raise outcome
    verdict = "allowed" if outcome.allowed else "denied"
    assert outcome.allowed == case.expected, f"{case.id}: was {verdict}. {outcome.detail}"
    if outcome.allowed and case.row.expect_results:
        assert outcome.documents > 0, f"{case.id}: allowed but returned nothing (seed broken?)"
