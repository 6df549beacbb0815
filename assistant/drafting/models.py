"""The draft a user works on: suggested rows with their evidence."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from corpus.models import TargetValue
from corpus.values import parse_target_value

from .profile import ProjectProfile


def _parsed(value):
    """A value given as text is parsed here, once: the engine's own suggestions, and drafts saved
    before values were typed (their JSON holds "≥95%" where it now holds the parsed value).
    The text stays exactly as written in `raw`, which is what the draft shows and exports."""
    return parse_target_value(value) if isinstance(value, str) else value


# A draft's 指标值: operator, number, unit (or a qualitative word) and the raw text; "" is a blank
# still to fill (raw "", clean False). Stored drafts need no schema version: the old form is a
# JSON string and the new one an object, so each is read for what it is.
DraftValue = Annotated[TargetValue, BeforeValidator(_parsed)]


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
    value: DraftValue
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
    model_config = ConfigDict(validate_assignment=True)  # `row.value = "≥95%"` is parsed too

    id: int
    level1: str
    level2: str
    name: str
    description: str = ""
    value: DraftValue
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
