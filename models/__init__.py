"""The database schema as SQLAlchemy 2 typed declarative models; alembic migrations are
written against `Base.metadata`, and queries (demo, tests) use these classes."""

from models.base import Base
from models.comments import apply_comments
from models.dimensions import (
    Cluster,
    Company,
    EntityAlias,
    EntityMerge,
    Metric,
    Park,
    Region,
    RegionName,
    Unit,
)
from models.facts import (
    AppUser,
    Correction,
    LoadRun,
    Observation,
    ObservationTally,
    RejectedRecord,
    SeriesSummary,
    SourceDocument,
)

apply_comments(Base.metadata)

__all__ = [
    "AppUser", "Base", "Cluster", "Company", "Correction", "EntityAlias", "EntityMerge",
    "LoadRun", "Metric", "Observation", "ObservationTally", "Park", "Region", "RegionName",
    "RejectedRecord", "SeriesSummary", "SourceDocument", "Unit",
]
