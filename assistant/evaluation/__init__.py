"""Evaluation scripts and their data (not imported at run time by the app)."""
