"""The draft a user works on: suggested rows with their evidence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .profile import ProjectProfile


class Precedent(BaseModel):
    """A published row a suggestion stands on."""

    unit: str
    year: int | None = None
    project: str
    name: str
    value: str
    source: str
    where: str
    score: float  # how much this precedent weighs (project similarity × row match)


class Alternative(BaseModel):
    name: str
    value: str
    description: str = ""
    agree: int  # distinct precedent projects using it


class ComparableProject(BaseModel):
    project_id: int
    name: str
    unit: str
    year: int | None = None
    budget_wan: float | None = None
    project_type: str
    score: float
    reasons: list[str]
    source: str
    where: str


class SuggestedRow(BaseModel):
    id: int
    level1: str
    level2: str
    name: str
    description: str = ""
    value: str
    basis: str  # 计划标准 / 行业标准 / 历史标准 / 预算支出标准 / 其他
    how: str = ""  # how the value was set, in words
    evidence: list[Precedent] = Field(default_factory=list)
    agree: int = 0
    confidence: float = 0.0  # 0..1
    alternatives: list[Alternative] = Field(default_factory=list)
    note: str = ""  # e.g. precedents disagree / missing: check before filing
    standard: str = ""  # the standard library row it was made from ("标准指标：养老服务·完成时间")
    quantity: str = ""  # the user's own quantity this row carries ("12个社区"): no precedent replaces it
    status: Literal["suggested", "accepted", "edited", "added"] = "suggested"


class Draft(BaseModel):
    profile: ProjectProfile
    project_type: str
    project_type_label: str
    comparables: list[ComparableProject] = Field(default_factory=list)
    rows: list[SuggestedRow] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
