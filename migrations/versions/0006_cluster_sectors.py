"""Clusters carry their GB/T 4754 sector: `cluster.sector_code` / `sector_name`, filled by
`parkstat seed` from the industry lexicon (seeds/clusters.csv), and shown in
`bi.dim_cluster`.

Records keep an industry's name as the report writes it (汽车零部件); `parkstat seed`
registers every written form of a lexicon industry as an alias of its lexicon name
(汽车及零部件), so the database counts one industry once and can group by sector.

`CREATE OR REPLACE VIEW` appends the two columns, keeping the view's comments and the
reader role's grant; a view cannot lose columns that way, so the downgrade drops and
re-creates 0002's definition with its comments and grant.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 02:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

READER = "parkstat_reader"

SECTOR_CODE = ("GB/T 4754 division code of the industry (36 = 汽车制造业) where the industry "
               "lexicon (seeds/clusters.csv) gives one; NULL for provisional clusters.")
SECTOR_NAME = "GB/T 4754 division name (汽车制造业); NULL where unknown."

_ALIASES = """(SELECT string_agg(a.alias, '|' ORDER BY a.alias) FROM public.entity_alias a
               WHERE a.cluster_id = e.id AND a.alias <> e.name)"""

VIEW_0002 = f"""SELECT e.id AS cluster_id, e.name AS cluster_name, e.provisional,
    {_ALIASES} AS aliases
FROM public.cluster e"""

VIEW_0006 = f"""SELECT e.id AS cluster_id, e.name AS cluster_name, e.provisional,
    {_ALIASES} AS aliases,
    e.sector_code, e.sector_name
FROM public.cluster e"""

COMMENT_0002 = ("Industries and industry clusters (石油机械, 光电, 纺织).", {
    "cluster_id": "Cluster key.",
    "cluster_name": "Name of the industry or cluster.",
    "provisional": ("True when the loader created this entity from a name it had not seen "
                    "(awaiting a curator's review or merge)."),
    "aliases": "Other names of this entity seen in reports or seeds, '|'-separated.",
})


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.add_column('cluster', sa.Column('sector_code', sa.Text(), nullable=True,
                                       comment=SECTOR_CODE))
    op.add_column('cluster', sa.Column('sector_name', sa.Text(), nullable=True,
                                       comment=SECTOR_NAME))
    # Clusters were all the loader's until now; any already seeded are the lexicon's.
    op.execute("""UPDATE entity_alias a SET origin = 'gazetteer' FROM cluster c
                  WHERE a.cluster_id = c.id AND NOT c.provisional""")
    op.execute(f"CREATE OR REPLACE VIEW bi.dim_cluster AS {VIEW_0006}")
    op.execute(f"COMMENT ON COLUMN bi.dim_cluster.sector_code IS {_q(SECTOR_CODE)}")
    op.execute(f"COMMENT ON COLUMN bi.dim_cluster.sector_name IS {_q(SECTOR_NAME)}")


def downgrade() -> None:
    op.execute("DROP VIEW bi.dim_cluster")
    op.execute(f"CREATE VIEW bi.dim_cluster AS {VIEW_0002}")
    table_comment, columns = COMMENT_0002
    op.execute(f"COMMENT ON VIEW bi.dim_cluster IS {_q(table_comment)}")
    for column, comment in columns.items():
        op.execute(f"COMMENT ON COLUMN bi.dim_cluster.{column} IS {_q(comment)}")
    op.execute(f"""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN
            GRANT SELECT ON bi.dim_cluster TO {READER};
        END IF; END $$""")
    op.drop_column('cluster', 'sector_name')
    op.drop_column('cluster', 'sector_code')
