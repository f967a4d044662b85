"""Every `allow` of firestore.rules is exercised by the matrix, per the emulator's coverage report.

The report is saved under test-results/ (JSON and HTML). Checks: every allow condition was both
granted and refused at least once; every expression was evaluated at least once; every boolean
sub-expression was true at least once (no disjunct that can never grant access).
"""

from __future__ import annotations

import json

import pytest

from tests.rules.rules_coverage import allow_conditions, report_nodes, top_nodes
from tests.rules.rules_harness import REPO_ROOT

pytestmark = pytest.mark.emulator

RESULTS_DIR = REPO_ROOT / "test-results"


@pytest.fixture(scope="module")
def coverage(rules_client, matrix_outcomes) -> tuple[dict, str]:
    # matrix_outcomes: the whole matrix has run before the report is read.
    resp = rules_client.coverage()
    if resp.status_code == 404:
        pytest.skip("this emulator serves no rule-coverage report")
    resp.raise_for_status()
    report = resp.json()
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "firestore-rules-coverage.json").write_text(json.dumps(report, indent=2))
    html = rules_client.coverage(".html")
    if html.status_code == 200:
        (RESULTS_DIR / "firestore-rules-coverage.html").write_text(html.text)
    content = (REPO_ROOT / "firestore.rules").read_text()
    served = report.get("rules", {}).get("files", [{}])[0].get("content")
    assert served == content, "the coverage report is for a different ruleset"
    return report, content


def test_every_allow_is_granted_and_refused(coverage) -> None:
    report, content = coverage
    nodes = top_nodes(report, content)
    conditions = allow_conditions(content)
    assert conditions, "no allow statements found in firestore.rules"
    problems = []
    for line, column, source in conditions:
        node = nodes.get((line, column))
        if node is None:
            problems.append(f"L{line}: not in the coverage report: {source}")
        elif not node.results.get("true"):
            problems.append(f"L{line}: never granted: {source}")
        elif not (node.results.get("false") or node.results.get("error")):
            problems.append(f"L{line}: never refused: {source}")
    print(f"{len(conditions)} allow conditions checked against the coverage report")
    assert not problems, "\n".join(problems)


def test_every_expression_is_exercised(coverage) -> None:
    report, content = coverage
    nodes = report_nodes(report, content)
    assert nodes, "the coverage report holds no expressions"
    never_run = [f"L{n.line}:{n.column} {n.text[:80]}" for n in nodes if not n.evaluated]
    never_true = [
        f"L{n.line}:{n.column} {n.text[:80]}"
        for n in nodes
        if n.is_boolean and not n.results.get("true")
    ]
    print(f"{len(nodes)} expressions in the coverage report")
    assert not never_run, "expressions never evaluated:\n" + "\n".join(never_run)
    assert not never_true, "conditions never true:\n" + "\n".join(never_true)
