"""Development tooling shared by the seed script and the tests (not deployed)."""
