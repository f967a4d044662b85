"""storage.rules compiles (offline there is no Storage rules runtime to evaluate it).

The Firestore emulator compiles a `service firebase.storage` ruleset in a
project of its own, so the Firestore rules of every other test stay in place. It returns 400 for
syntax errors and warnings for unknown names, wrong arities and unused functions. It does not know
Storage's cross-service `firestore.get()` and `firestore.exists()`: it reads `firestore` as an
unknown variable and `get`/`exists` as methods on it (a map's `get` takes two arguments; `exists` is
no method at all), and always warns. Those warnings are the only ones tolerated, each only on a line
that makes the very call it is about: a misspelled call (`firestore.exsts(`) or a warning on any
other line still fails.
"""

from __future__ import annotations

import re

import pytest

from tests.rules.rules_harness import REPO_ROOT, STORAGE_COMPILE_PROJECT, FirestoreRestClient

pytestmark = pytest.mark.emulator

# warning -> the calls that cause it; tolerated only on a line containing one of those calls.
CROSS_SERVICE_WARNINGS = {
    "Invalid variable name: firestore.": ("firestore.get(", "firestore.exists("),
    "Incorrect number of arguments supplied to function: get.": ("firestore.get(",),
    "Invalid function name: exists.": ("firestore.exists(",),
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
        calls = CROSS_SERVICE_WARNINGS.get(issue["description"], ())
        known = any(call in lines[line - 1] for call in calls)
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
        ("wrong arity", "|| isSessionCoach(sessionId)", "|| isSessionCoach(sessionId, 1)"),
        ("misspelled cross-service call", "firestore.get(", "firestore.gett("),
    ],
)
def test_broken_storage_rules_are_rejected(compiler, storage_rules, breakage, old, new) -> None:
    assert old in storage_rules, f"cannot build the '{breakage}' copy"
    broken = storage_rules.replace(old, new, 1)
    assert compile_problems(compiler, broken), f"a copy with a {breakage} was accepted"


def test_no_client_reads_a_stored_object(storage_rules) -> None:
    """No download and no metadata read: a metadata read lets getDownloadURL() mint a token that
    works signed-out for ever (downloads are the API's signed URLs). Offline there is no Storage
    rules runtime, so this is checked on the text: no `allow` names read, get or list."""
    code = "\n".join(line.split("//", 1)[0] for line in storage_rules.splitlines())
    grants = re.findall(r"allow\s+([a-z ,]+):", code)
    assert grants, "no allow statement found: the pattern no longer matches the rules"
    methods = {method.strip() for grant in grants for method in grant.split(",")}
    assert methods == {"create", "update"}
