"""Drafting engine: a complete indicator table for a new project, every value backed by precedents."""
