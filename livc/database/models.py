"""No models: the app sets up roles, grants, policies and functions after `migrate` (setup.py)."""
