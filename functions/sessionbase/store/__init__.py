"""Firestore and Storage I/O behind small typed functions: snapshots in, records out.

No decisions here: the services read records, ask the domain, and write what it returns. The
Firestore client (and, inside a transaction, the transaction) is always passed in.
"""
