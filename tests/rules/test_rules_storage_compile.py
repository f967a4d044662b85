"""storage.rules compiles (offline there is no Storage rules runtime to evaluate it).

The Firestore emulator compiles a `service firebase.storage` ruleset (LOCAL-STACK.md §8b) in a
project of its own, so the Firestore rules of every other test stay in place. It returns 400 for
syntax errors and warnings for unknown names, wrong arities and unused functions. It does not know
Storage's cross-service `firestore.get()`, for which it always warns; those two warnings, on lines
that call `firestore.get(`, are the only ones tolerated.
"""

from __future__ import annotations

import pytest
from rules_harness import REPO_ROOT, STORAGE_COMPILE_PROJECT, FirestoreRestClient

pytestmark = pytest.mark.emulator

CROSS_SERVICE_WARNINGS = {
    "Invalid variable name: firestore.",
    "Incorrect number of arguments supplied to function: get.",
}


@pytest.fixture(scope="module")
def compiler(emulator_url: str) -> FirestoreRestClient:
    return FirestoreRestClient(base=emulator_url, project=STORAGE_COMPILE_PROJECT)


@pytest.fixture(scope="module")
def storage_rules() -> str:
    return (REPO_ROOT / "storage.rules").read_text()


def compile_problems(compiler: FirestoreRestClient, content: str) -> list[str]:
    """Errors and warnings for a storage ruleset, minus the known cross-service ones."""
    resp = compiler.load_rules("storage.rules", content)
    if resp.status_code == 400:
        return [resp.json()["error"]["message"]]
    assert resp.status_code == 200, f"unexpected HTTP {resp.status_code}: {resp.text}"
    lines = content.splitlines()
    problems = []
    for issue in resp.json().get("issues", []):
        line = issue["sourcePosition"]["line"]
        known = (
            issue["description"] in CROSS_SERVICE_WARNINGS and "firestore.get(" in lines[line - 1]
        )
        if not known:
            problems.append(f"L{line} {issue['severity']}: {issue['description']}")
    return problems


def test_storage_rules_compile_cleanly(compiler, storage_rules) -> None:
    assert "service firebase.storage" in storage_rules
    assert compile_problems(compiler, storage_rules) == []


@pytest.mark.parametrize(
    ("breakage", "old", "new"),
    [
        ("missing closing brace", "\n  }\n}", "\n  }\n"),
        ("unbalanced parenthesis", "matches('video/.*')", "matches('video/.*'"),
        ("misspelled function", "< maxVideoBytes()", "< maxVideoBytez()"),
        ("misspelled variable", "request.resource.size <", "requst.resource.size <"),
        ("wrong arity", "isSessionCoach(sessionId)\n", "isSessionCoach(sessionId, 1)\n"),
    ],
)
def test_broken_storage_rules_are_rejected(compiler, storage_rules, breakage, old, new) -> None:
    assert old in storage_rules, f"cannot build the '{breakage}' copy"
    broken = storage_rules.replace(old, new, 1)
    assert compile_problems(compiler, broken), f"a copy with a {breakage} was accepted"
