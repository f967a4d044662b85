"""Fixtures for the security-rules suite: its own emulator project, rules loaded, data seeded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.rules.rules_harness import (
    REPO_ROOT,
    RULES_PROJECT,
    FirestoreRestClient,
    Outcome,
    emulator_base,
)
from tests.rules.rules_matrix import ACTORS, CASES, ROWS, SEED, run_matrix

_matrix_ran: list[int] = []  # for the terminal summary


@pytest.fixture(scope="session")
def emulator_url() -> str:
    """The Firestore emulator's URL; skips the test when no emulator is running."""
    base = emulator_base()
    if base is None:
        pytest.skip("FIRESTORE_EMULATOR_HOST is not set; run under `firebase emulators:exec`")
    return base


@pytest.fixture(scope="session")
def rules_client(emulator_url: str) -> Iterator[FirestoreRestClient]:
    """A client of the rules project, with firestore.rules loaded and the matrix data seeded."""
    client = FirestoreRestClient(base=emulator_url, project=RULES_PROJECT)
    rules = (REPO_ROOT / "firestore.rules").read_text()
    resp = client.load_rules("firestore.rules", rules)
    assert resp.status_code == 200, f"firestore.rules did not compile: {resp.text}"
    assert not resp.json().get("issues"), f"firestore.rules has warnings: {resp.text}"
    client.wipe()
    client.seed(SEED)
    yield client
    client.http.close()


@pytest.fixture(scope="session")
def matrix_outcomes(rules_client: FirestoreRestClient) -> dict[str, Outcome | Exception]:
    """Every matrix case performed once against the emulator (concurrently), keyed by case id."""
    outcomes = run_matrix(rules_client.base, rules_client.project, CASES)
    _matrix_ran.append(len(outcomes))
    return outcomes


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the size of the rules matrix."""
    if _matrix_ran:
        terminalreporter.write_line(
            f"rules matrix: {len(CASES)} cases = {len(ROWS)} target/operation rows x "
            f"{len(ACTORS)} actors"
        )
