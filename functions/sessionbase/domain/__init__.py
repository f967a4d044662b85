"""The pure domain: decisions over typed records, with no I/O and no Firebase imports.

Services (the imperative shell) read records through the store, ask these functions what to do,
and write what they return. Every function here is tested directly in tests/unit/domain.
"""
