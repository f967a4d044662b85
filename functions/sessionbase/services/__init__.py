"""The domain: one module per capability; collaborators (client, caller, clock) are arguments."""
