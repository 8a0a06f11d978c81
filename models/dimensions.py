"""Reference and entity tables: what observations point at.

Entities (region, park, cluster, company) are found by name only through
`entity_alias`, because reports name one park many ways (`南阳高新区`,
`南阳高新技术产业开发区`). A name the loader has never seen becomes a `provisional` row
that a curator can later merge; the alias table is where that merge happens.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

ENTITY_KINDS = ("region", "park", "cluster", "company")
# Who made an alias: `parkstat seed` from the gazetteer, the loader for a name it had not
# seen (its provisional entity), or a curator (`parkstat alias add`).
ALIAS_ORIGINS = ("gazetteer", "loader", "curator")


class Unit(Base):
    """Canonical units (seeds/units.csv); observation values are stored in these."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    dimension: Mapped[str] = mapped_column(Text)
    name_zh: Mapped[str] = mapped_column(Text)
    written_as: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    to_base_factor: Mapped[Decimal] = mapped_column(Numeric, server_default=text("1"))
    base: Mapped[str] = mapped_column(Text)


class Metric(Base):
    """Indicator catalogue (seeds/metrics.csv)."""

    __tablename__ = "metric"

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    name_zh: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    canonical_unit: Mapped[str | None] = mapped_column(ForeignKey("unit.code"))
    synonyms_zh: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    notes: Mapped[str | None] = mapped_column(Text)


class Region(Base):
    """Administrative areas; `code` is the GB/T 2260 code where known."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str | None] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="SET NULL"), index=True
    )
    provisional: Mapped[bool] = mapped_column(server_default=text("false"))
    # The hierarchy as data (revision 0005): the nearest region at or above this one of
    # level province / prefecture, kept by the SQL function region_refresh_ancestry(),
    # which `parkstat seed` and entity merges call (etl/store/entities.py). bi.dim_region and
    # bi.observation read these instead of walking parent_id per query.
    province_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="SET NULL"), index=True
    )
    prefecture_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="SET NULL"), index=True
    )


class Park(Base):
    """Industrial parks, development zones, 集聚区."""

    __tablename__ = "park"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="SET NULL"), index=True
    )
    level: Mapped[str | None] = mapped_column(Text)
    provisional: Mapped[bool] = mapped_column(server_default=text("false"))


class Cluster(Base):
    """Industries and industry clusters (`石油机械`, `光电`)."""

    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    provisional: Mapped[bool] = mapped_column(server_default=text("false"))
    # GB/T 4754 division, from the industry lexicon (seeds/clusters.csv) via parkstat seed
    sector_code: Mapped[str | None] = mapped_column(Text)
    sector_name: Mapped[str | None] = mapped_column(Text)


class Company(Base):
    __tablename__ = "company"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    provisional: Mapped[bool] = mapped_column(server_default=text("false"))


class EntityAlias(Base):
    """Every name an entity goes by, one row each; (kind, alias) identifies one entity.

    One nullable FK per entity table instead of a bare polymorphic id, so that the
    database itself guarantees every alias points at a row that exists;
    `entity_id` is the canonical id whichever table it is in.
    """

    __tablename__ = "entity_alias"
    __table_args__ = (
        UniqueConstraint("kind", "alias", name="uq_entity_alias_kind_alias"),
        CheckConstraint(f"kind IN {ENTITY_KINDS!r}", name="kind"),
        CheckConstraint(f"origin IN {ALIAS_ORIGINS!r}", name="origin"),
        CheckConstraint(
            "num_nonnulls(region_id, park_id, cluster_id, company_id) = 1"
            " AND CASE kind WHEN 'region' THEN region_id IS NOT NULL"
            " WHEN 'park' THEN park_id IS NOT NULL"
            " WHEN 'cluster' THEN cluster_id IS NOT NULL"
            " ELSE company_id IS NOT NULL END",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    alias: Mapped[str] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("region.id", ondelete="CASCADE"), index=True
    )
    park_id: Mapped[int | None] = mapped_column(
        ForeignKey("park.id", ondelete="CASCADE"), index=True
    )
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int] = mapped_column(
        BigInteger, Computed("COALESCE(region_id, park_id, cluster_id, company_id)", persisted=True)
    )
    origin: Mapped[str] = mapped_column(Text, server_default=text("'loader'"))


class RegionName(Base):
    """Every name the gazetteer gives a region, full and short, including names several
    regions share (朝阳区 in Beijing and in Changchun).

    `entity_alias` holds only the names that identify one region; for a shared name the
    loader chooses among these candidates by the other regions a document names
    (etl/store/entities.py), and leaves the name provisional when that does not decide.
    """

    __tablename__ = "region_name"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    region_id: Mapped[int] = mapped_column(
        ForeignKey("region.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EntityMerge(Base):
    """One merge of an entity into another (`parkstat alias add`, or `parkstat seed`
    taking over a provisional region the gazetteer now knows): the merged row is deleted,
    this is what is left of it. No foreign keys: both ends may be gone later."""

    __tablename__ = "entity_merge"
    __table_args__ = (CheckConstraint(f"kind IN {ENTITY_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    merged_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()")
    )
    merged_by: Mapped[str] = mapped_column(Text, server_default=text("CURRENT_USER"))
    kind: Mapped[str] = mapped_column(Text)
    alias: Mapped[str] = mapped_column(Text)
    from_id: Mapped[int] = mapped_column(BigInteger)
    from_name: Mapped[str] = mapped_column(Text)
    to_id: Mapped[int] = mapped_column(BigInteger)
    to_name: Mapped[str] = mapped_column(Text)
    observations_moved: Mapped[int] = mapped_column(Integer)
