"""Corrections as data, and reviewer accounts (issue 16, `parkstat serve`).

- `correction`: one row per human correction of a document's figures — kinds change,
  confirm, reject, add — with the document it was made on (`document_id`, and its
  `document_name` / `document_sha256` at the time), the span and the text at it
  (`quote`), some context either side (to find the quote again when the text moved),
  which of the extractor's records on that span it concerns (`span_rank`), the field,
  the value before and after, who, when and a note. `etl/store/corrections.py` applies them
  after every load batch, over what the extractor produced; `state` says whether a
  correction was applied by the latest load or is `orphaned` (its quote is gone, or no
  record stands at its span) with `orphan_reason`.
- `observation` gets `reviewed` (a person confirmed or corrected the record),
  `corrected_fields` (record fields a correction set to a value other than the
  extractor's) and `correction_id` (the `add` correction that created the row; NULL for
  the extractor's rows).
- `bi.observation` gets the same two columns, appended at the end (`reviewed`,
  `corrected_fields`): CREATE OR REPLACE VIEW keeps its comments and grants. Its other
  columns are 0011's (0005's, then period_start, period_end, series_key), unchanged.
- `app_user`: sign-in accounts for `parkstat serve` beyond localhost (reviewer / viewer,
  password hashes only).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KINDS = "kind IN ('change', 'confirm', 'reject', 'add')"
STATES = "state IN ('applied', 'orphaned')"
ROLES = "role IN ('reviewer', 'viewer')"

def _observation_0011() -> str:
    """0011's bi.observation (period_start, period_end, series_key appended to 0005's),
    read from that revision so both stay one definition."""
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).with_name("0011_foreign_keys_periods_series_summary.py")
    spec = importlib.util.spec_from_file_location("parkstat_rev_0011", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.OBSERVATION_0011)


def _bi_observation(extra: str) -> str:
    """0011's view with `extra` columns appended after its last one."""
    body = _observation_0011()
    head, sep, tail = body.partition("\nFROM public.observation o")
    return head + extra + sep + tail


BI_COMMENTS = {
    "reviewed": "True when a person confirmed or corrected this record (parkstat serve, "
                "parkstat correct); its values are then the reviewed ones.",
    "corrected_fields": "Record fields a reviewer changed from what the extractor produced "
                        "(metric, region, year, …); empty when none.",
}


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'correction',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False, comment='Correction key; corrections are applied in this order.'),
        sa.Column('document_id', sa.BigInteger(), nullable=True, comment='The document corrected (source_document.id); NULL once that document is deleted.'),
        sa.Column('document_name', sa.Text(), nullable=False, comment='The document\'s name when the correction was made.'),
        sa.Column('document_sha256', sa.Text(), nullable=False, comment='SHA-256 of the document\'s bytes when the correction was made.'),
        sa.Column('kind', sa.Text(), nullable=False, comment='change (one field), confirm (the record is right), reject (not a figure), add (a figure the extractor missed).'),
        sa.Column('span_start', sa.Integer(), nullable=False, comment='Start of the figure in source_document.text, as found by the latest load.'),
        sa.Column('span_end', sa.Integer(), nullable=False, comment='End of the figure (exclusive).'),
        sa.Column('quote', sa.Text(), nullable=False, comment='The text at the span (the figure as written); a correction applies only where it still stands.'),
        sa.Column('context_before', sa.Text(), nullable=False, comment='Up to 30 characters before the quote, to find it again when the text moved.'),
        sa.Column('context_after', sa.Text(), nullable=False, comment='Up to 30 characters after the quote.'),
        sa.Column('span_rank', sa.Integer(), server_default=sa.text('0'), nullable=False, comment='Which of the extractor\'s records on this span (0 = the first in document order).'),
        sa.Column('target_correction_id', sa.BigInteger(), nullable=True, comment='For a change to an added record: the add correction that made it.'),
        sa.Column('field', sa.Text(), nullable=True, comment='The record field changed (RECORDS.md names: metric, region, year, …); NULL for confirm, reject, add.'),
        sa.Column('value_before', sa.Text(), nullable=True, comment='The field\'s value before the correction, as text.'),
        sa.Column('value_after', sa.Text(), nullable=True, comment='The value set, as text (entity names, catalogue codes); for add, the record as JSON.'),
        sa.Column('author', sa.Text(), nullable=False, comment='Who made the correction.'),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False, comment='When it was made.'),
        sa.Column('note', sa.Text(), nullable=True, comment='The reviewer\'s note.'),
        sa.Column('state', sa.Text(), server_default=sa.text("'applied'"), nullable=False, comment='applied by the latest load of its document, or orphaned (see orphan_reason).'),
        sa.Column('orphan_reason', sa.Text(), nullable=True, comment='Why the latest load could not apply it (the quote is gone, no record at the span, …).'),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True, comment='When it was last applied or found orphaned.'),
        sa.CheckConstraint(KINDS, name=op.f('ck_correction_kind')),
        sa.CheckConstraint(STATES, name=op.f('ck_correction_state')),
        sa.CheckConstraint('span_start >= 0 AND span_end > span_start', name=op.f('ck_correction_span')),
        sa.ForeignKeyConstraint(['document_id'], ['source_document.id'], name=op.f('fk_correction_document_id_source_document'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['target_correction_id'], ['correction.id'], name=op.f('fk_correction_target_correction_id_correction'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_correction')),
        comment='Human corrections of extracted figures, applied over the extractor\'s output on every load (etl/store/corrections.py).',
    )
    op.create_index(op.f('ix_correction_document_id'), 'correction', ['document_id'], unique=False)
    op.create_table(
        'app_user',
        sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False, comment='Account key.'),
        sa.Column('name', sa.Text(), nullable=False, comment='Sign-in name; corrections record it as their author.'),
        sa.Column('password_hash', sa.Text(), nullable=False, comment='Salted password hash (werkzeug.security); never the password.'),
        sa.Column('role', sa.Text(), nullable=False, comment='reviewer (may correct) or viewer (reads only).'),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False, comment='When the account was made.'),
        sa.CheckConstraint(ROLES, name=op.f('ck_app_user_role')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
        sa.UniqueConstraint('name', name=op.f('uq_app_user_name')),
        comment='Accounts of parkstat serve when served beyond localhost (parkstat user add).',
    )
    op.add_column('observation', sa.Column('reviewed', sa.Boolean(), server_default=sa.text('false'), nullable=False, comment='True when a person confirmed or corrected the record.'))
    op.add_column('observation', sa.Column('corrected_fields', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False, comment='Record fields a correction set to another value than the extractor\'s.'))
    op.add_column('observation', sa.Column('correction_id', sa.BigInteger(), nullable=True, comment='The add correction that created this record; NULL for the extractor\'s records.'))
    op.execute("CREATE OR REPLACE VIEW bi.observation AS "
               + _bi_observation(",\n    o.reviewed, o.corrected_fields"))
    for column, comment in BI_COMMENTS.items():
        op.execute(f"COMMENT ON COLUMN bi.observation.{column} IS {_q(comment)}")


def downgrade() -> None:
    """Downgrade schema."""
    # Columns cannot be dropped from a view by CREATE OR REPLACE: recreate it, keeping
    # its comments and the reader role's grant.
    comments = op.get_bind().execute(sa.text(
        "SELECT a.attname, col_description('bi.observation'::regclass, a.attnum)"
        " FROM pg_attribute a WHERE a.attrelid = 'bi.observation'::regclass AND a.attnum > 0"
    )).fetchall()
    view_comment = op.get_bind().execute(sa.text(
        "SELECT obj_description('bi.observation'::regclass, 'pg_class')")).scalar()
    op.execute("DROP VIEW bi.observation")
    op.execute("CREATE VIEW bi.observation AS " + _bi_observation(""))
    if view_comment:
        op.execute(f"COMMENT ON VIEW bi.observation IS {_q(view_comment)}")
    for column, comment in comments:
        if comment and column not in BI_COMMENTS:
            op.execute(f"COMMENT ON COLUMN bi.observation.{column} IS {_q(comment)}")
    op.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parkstat_reader')"
               " THEN GRANT SELECT ON bi.observation TO parkstat_reader; END IF; END $$")
    op.drop_column('observation', 'correction_id')
    op.drop_column('observation', 'corrected_fields')
    op.drop_column('observation', 'reviewed')
    op.drop_table('app_user')
    op.drop_index(op.f('ix_correction_document_id'), table_name='correction')
    op.drop_table('correction')
