"""The one contract between stages: an indicator record as RECORDS.md defines it.

Extraction produces plain dicts; every record passes through `Record` before it is
written out or loaded. What fails goes to quarantine with pydantic's error JSON, so a
half-valid record can never reach the fact table.
"""

import json
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from etl.extract.catalogue import metrics, units
from etl.extract.numbers import unrepresentable

# Years a record may carry: a year written outside these (1800年, 2150年) is taken as
# written and the record quarantined with this reason, never silently made null.
YEAR_MIN, YEAR_MAX = 1949, 2100

RECORD_FIELDS: tuple[str, ...] = (
    "doc", "start", "end", "quote", "value_text", "value", "value_low", "value_high",
    "qualifier", "unit", "metric", "metric_text", "measure", "year", "period",
    "period_text", "status", "region", "park", "cluster", "company", "evidence",
)


class Qualifier(StrEnum):
    exact = "exact"
    approx = "approx"
    more_than = "more_than"
    less_than = "less_than"
    range = "range"


class Measure(StrEnum):
    level = "level"
    growth = "growth"
    change = "change"
    share = "share"


class Status(StrEnum):
    actual = "actual"
    target = "target"
    estimate = "estimate"


class Record(BaseModel):
    """One figure about one subject, with the exact span of source text it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)

    doc: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    quote: str = Field(min_length=1)
    value_text: str = Field(min_length=1)
    # exact decimals (544.8亿元 is 54480000000, not 54479999999.99999)
    value: Decimal | None = None
    value_low: Decimal | None = None
    value_high: Decimal | None = None
    qualifier: Qualifier
    unit: str
    metric: str
    metric_text: str | None = None
    measure: Measure
    year: int | None = None
    period: str | None = None
    period_text: str | None = None
    status: Status
    region: str | None = None
    park: str | None = None
    cluster: str | None = None
    company: str | None = None
    # where region, park, year and status came from (etl/extract/evidence.py); not scored
    evidence: dict[str, Any] | None = None

    @field_validator("value", "value_low", "value_high", mode="before")
    @classmethod
    def _representable(cls, v: object) -> object:
        if isinstance(v, float):
            v = Decimal(repr(v))  # 23.5 as written, not the binary fraction
        if isinstance(v, Decimal):
            reason = unrepresentable(v)
            if reason is not None:
                raise ValueError(reason)
        return v

    @field_validator("year")
    @classmethod
    def _year_in_range(cls, v: int | None) -> int | None:
        if v is not None and not YEAR_MIN <= v <= YEAR_MAX:
            raise ValueError(f"year {v} is outside {YEAR_MIN}–{YEAR_MAX}: written so in the "
                             "report, it is no year a record can be about")
        return v

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, v: str) -> str:
        if v not in units():
            raise ValueError(f"unit {v!r} is not in seeds/units.csv")
        return v

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, v: str) -> str:
        if v not in metrics():
            raise ValueError(f"metric {v!r} is not in seeds/metrics.csv")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be greater than start")
        if self.end - self.start != len(self.value_text):
            raise ValueError("span length differs from value_text")
        if self.qualifier == Qualifier.range:
            if self.value is not None or self.value_low is None or self.value_high is None:
                raise ValueError("a range has value_low and value_high and no value")
            if self.value_low > self.value_high:
                raise ValueError("value_low is greater than value_high")
        else:
            if self.value is None:
                raise ValueError("value is required unless qualifier is range")
            if self.value_low is not None or self.value_high is not None:
                raise ValueError("value_low/value_high are only for ranges")
        return self


def validate(raw: dict[str, Any]) -> tuple[Record | None, str | None]:
    """Validate one raw record; on failure return pydantic's error JSON as the reason."""
    try:
        return Record.model_validate(raw), None
    except ValidationError as e:
        try:
            return None, e.json(include_url=False)
        except ValueError:  # text pydantic cannot encode (a lone surrogate): escape it
            errors = e.errors(include_url=False)
            return None, json.dumps(errors, ensure_ascii=True, default=repr)
