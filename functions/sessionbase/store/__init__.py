"""Firestore and Storage access behind small typed functions; the client is always injected."""
