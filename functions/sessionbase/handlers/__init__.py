"""Thin transport adapters: parse, authorize, call a service, map errors."""

import firebase_admin

# initialize_app() must run at import time: callable auth verifies tokens with the default app.
if not firebase_admin._apps:
    firebase_admin.initialize_app()
