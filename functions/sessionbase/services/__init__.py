"""Use cases, one module per capability: read records (store), decide (domain), write (store).

Every service function takes a ``Context`` first; path ids come as keyword arguments and the
validated input, if the operation has one, as the second argument (handlers/operations.py).
A transaction is a short shell inside the service: read, ask the domain, write.
"""
