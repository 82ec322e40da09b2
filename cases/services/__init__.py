"""Writes of the cases app, one module per subject: referrals, identity, cases, seats, items, informing."""
