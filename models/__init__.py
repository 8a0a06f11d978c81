"""The database schema as SQLAlchemy 2 typed declarative models; alembic migrations are
written against `Base.metadata`, and queries (demo, tests) use these classes."""

from models.base import Base
from models.dimensions import Cluster, Company, EntityAlias, Metric, Park, Region, Unit
from models.facts import LoadRun, Observation, RejectedRecord, SourceDocument

__all__ = [
    "Base", "Cluster", "Company", "EntityAlias", "LoadRun", "Metric", "Observation", "Park",
    "Region", "RejectedRecord", "SourceDocument", "Unit",
]
