"""`observation.evidence`: where each record's region, park, year and status came from.

The extractor (etl/extract/evidence.py) gives every record, per field, the rule that set it — the
figure's sentence, its paragraph, the title, the article's subject carried on, a park's
name, a self word (全省), a section heading, a list's opening paragraph, the report's date
line for 今年 / 目前, a status word, a sentence's frame (预计…), a goal year (到2015年) — and,
where the text names it, the span (offsets in source_document.text) and the words. The
loader stores it as JSONB; NULL for rows loaded before this revision (re-loading a
document fills it: the extractor version changed).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

EVIDENCE = ("Where region, park, year and status came from: per field, the rule (sentence, "
            "paragraph, title, article, park name, self word, section heading, list intro, "
            "date line, status word, sentence frame, goal year, default…) and, where the "
            "text names it, start/end (offsets in source_document.text) and the words "
            "(revision 0009).")


def upgrade() -> None:
    op.add_column('observation', sa.Column('evidence', postgresql.JSONB(), nullable=True,
                                           comment=EVIDENCE))


def downgrade() -> None:
    op.drop_column('observation', 'evidence')
