"""Who is calling: the verified identity every service receives."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """The custom claim ``role``; a user without it is an athlete."""

    ATHLETE = "athlete"
    COACH = "coach"
    ADMIN = "admin"

    @classmethod
    def of_claim(cls, claim: Any) -> Role:
        """The role a ``role`` claim gives: anything but one of the three strings is none, an
        athlete."""
        return cls(claim) if isinstance(claim, str) and claim in set(cls) else cls.ATHLETE


@dataclass(frozen=True, kw_only=True)
class Caller:
    """A signed-in user, as established from a verified ID token."""

    uid: str
    email: str | None
    email_verified: bool
    name: str | None
    role: Role

    @property
    def is_admin(self) -> bool:
        """True for the admin role."""
        return self.role is Role.ADMIN

    @property
    def display_name(self) -> str:
        """A human name: the token's name, else the e-mail's local part, else the uid."""
        if self.name:
            return self.name
        if self.email:
            return self.email.split("@", 1)[0]
        return self.uid

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Caller:
        """Build a Caller from decoded ID-token claims (unknown roles count as athlete)."""
        email = claims.get("email")
        return cls(
            uid=claims.get("uid") or claims["sub"],
            email=email.lower() if isinstance(email, str) else None,
            email_verified=bool(claims.get("email_verified", False)),
            name=claims.get("name"),
            role=Role.of_claim(claims.get("role")),
        )
