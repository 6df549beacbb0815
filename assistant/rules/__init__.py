"""Validation rules, one module per family. Each module declares its rules with `define` and has
`check(ctx) -> Iterator[Finding]`; CHECKS lists them in report order."""

from __future__ import annotations

from . import boilerplate, consistency, fit, garbled, precedent, quality, reviewer, structure, value_form
from .base import REGISTRY, Context, Rule

CHECKS = [structure.check, garbled.check, value_form.check, fit.check, quality.check, boilerplate.check,
          consistency.check, precedent.check, reviewer.check]

__all__ = ["CHECKS", "REGISTRY", "Context", "Rule"]
