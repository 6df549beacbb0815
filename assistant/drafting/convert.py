"""A draft as a corpus Project, so the validator and the exporters read it like any published table."""

from __future__ import annotations

from corpus.models import Category, IndicatorRow, Project, Provenance

from .models import Draft

DRAFT_SOURCE = "草稿"


def draft_to_project(d: Draft) -> Project:
    p = d.profile
    rows = [
        IndicatorRow(
            level1=Category(name=r.level1, raw=r.level1), level2=Category(name=r.level2, raw=r.level2),
            name=r.name, name_raw=r.name, description=r.description, value=r.value,
            basis=r.basis, provenance=Provenance(source=DRAFT_SOURCE, cell=f"第{i}行"))
        for i, r in enumerate(d.rows, 1)
    ]
    return Project(source=DRAFT_SOURCE, name=p.name, unit=p.unit, region=p.region, year=p.year,
                   budget=p.budget, money_unit=p.budget.unit or "万元", goals=[p.goal] if p.goal else [], rows=rows,
                   provenance=Provenance(source=DRAFT_SOURCE))


def check_draft(d: Draft, corpus=None, index=None):
    """Validator findings for a draft; precedents from the corpus when one is given, found through
    the index when there is one (assistant.precedents.precedent_pairs)."""
    from assistant.precedents import precedent_pairs
    from assistant.validator import validate

    project = draft_to_project(d)
    return validate(project, precedent_pairs(project, corpus, index))
