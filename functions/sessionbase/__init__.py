"""Sessionbase: a Firebase backend that tracks sessions (see DESIGN.md)."""
