"""Initial schema: reference tables, entities and aliases, documents, load runs,
observations and quarantine (see models/ for what each table is for).

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 23:50:29.633450

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('cluster',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('provisional', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster'))
    )
    op.create_table('company',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('provisional', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company'))
    )
    op.create_table('load_run',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Text(), server_default=sa.text("'running'"), nullable=False),
    sa.Column('documents_new', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('documents_changed', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('documents_skipped', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('documents_failed', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('records_loaded', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('records_quarantined', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('extractor_version', sa.Text(), nullable=False),
    sa.Column('parkstat_version', sa.Text(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('running', 'succeeded', 'partial', 'failed', 'aborted')", name=op.f('ck_load_run_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_load_run'))
    )
    op.create_table('region',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('code', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('level', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('provisional', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['region.id'], name=op.f('fk_region_parent_id_region'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
    sa.UniqueConstraint('code', name=op.f('uq_region_code'))
    )
    op.create_index(op.f('ix_region_parent_id'), 'region', ['parent_id'], unique=False)
    op.create_table('unit',
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('dimension', sa.Text(), nullable=False),
    sa.Column('name_zh', sa.Text(), nullable=False),
    sa.Column('written_as', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('to_base_factor', sa.Numeric(), server_default=sa.text('1'), nullable=False),
    sa.Column('base', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_unit'))
    )
    op.create_table('metric',
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('name_zh', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('canonical_unit', sa.Text(), nullable=True),
    sa.Column('synonyms_zh', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['canonical_unit'], ['unit.code'], name=op.f('fk_metric_canonical_unit_unit')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_metric'))
    )
    op.create_table('park',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=True),
    sa.Column('level', sa.Text(), nullable=True),
    sa.Column('provisional', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_park_region_id_region'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_park'))
    )
    op.create_index(op.f('ix_park_region_id'), 'park', ['region_id'], unique=False)
    op.create_table('source_document',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('encoding', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('stated_date', sa.Date(), nullable=True),
    sa.Column('extractor_version', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('load_run_id', sa.BigInteger(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f('ck_source_document_sha256_hex')),
    sa.ForeignKeyConstraint(['load_run_id'], ['load_run.id'], name=op.f('fk_source_document_load_run_id_load_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_document')),
    sa.UniqueConstraint('name', name=op.f('uq_source_document_name'))
    )
    op.create_index(op.f('ix_source_document_load_run_id'), 'source_document', ['load_run_id'], unique=False)
    op.create_table('entity_alias',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=True),
    sa.Column('park_id', sa.BigInteger(), nullable=True),
    sa.Column('cluster_id', sa.BigInteger(), nullable=True),
    sa.Column('company_id', sa.BigInteger(), nullable=True),
    sa.Column('entity_id', sa.BigInteger(), sa.Computed('COALESCE(region_id, park_id, cluster_id, company_id)', persisted=True), nullable=False),
    sa.CheckConstraint("kind IN ('region', 'park', 'cluster', 'company')", name=op.f('ck_entity_alias_kind')),
    sa.CheckConstraint("num_nonnulls(region_id, park_id, cluster_id, company_id) = 1 AND CASE kind WHEN 'region' THEN region_id IS NOT NULL WHEN 'park' THEN park_id IS NOT NULL WHEN 'cluster' THEN cluster_id IS NOT NULL ELSE company_id IS NOT NULL END", name=op.f('ck_entity_alias_one_target')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_entity_alias_cluster_id_cluster'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_entity_alias_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['park_id'], ['park.id'], name=op.f('fk_entity_alias_park_id_park'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_entity_alias_region_id_region'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_alias')),
    sa.UniqueConstraint('kind', 'alias', name='uq_entity_alias_kind_alias')
    )
    op.create_index(op.f('ix_entity_alias_cluster_id'), 'entity_alias', ['cluster_id'], unique=False)
    op.create_index(op.f('ix_entity_alias_company_id'), 'entity_alias', ['company_id'], unique=False)
    op.create_index(op.f('ix_entity_alias_park_id'), 'entity_alias', ['park_id'], unique=False)
    op.create_index(op.f('ix_entity_alias_region_id'), 'entity_alias', ['region_id'], unique=False)
    op.create_table('observation',
    sa.Column('document_id', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('load_run_id', sa.BigInteger(), nullable=False),
    sa.Column('metric_code', sa.Text(), nullable=False),
    sa.Column('unit_code', sa.Text(), nullable=False),
    sa.Column('region_id', sa.BigInteger(), nullable=True),
    sa.Column('park_id', sa.BigInteger(), nullable=True),
    sa.Column('cluster_id', sa.BigInteger(), nullable=True),
    sa.Column('company_id', sa.BigInteger(), nullable=True),
    sa.Column('value', sa.Numeric(), nullable=True),
    sa.Column('value_low', sa.Numeric(), nullable=True),
    sa.Column('value_high', sa.Numeric(), nullable=True),
    sa.Column('qualifier', sa.Text(), nullable=False),
    sa.Column('measure', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=True),
    sa.Column('period', sa.Text(), nullable=True),
    sa.Column('period_text', sa.Text(), nullable=True),
    sa.Column('metric_text', sa.Text(), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.CheckConstraint("(qualifier = 'range' AND value IS NULL AND value_low IS NOT NULL AND value_high IS NOT NULL) OR (qualifier <> 'range' AND value IS NOT NULL AND value_low IS NULL AND value_high IS NULL)", name=op.f('ck_observation_range_iff_no_value')),
    sa.CheckConstraint("measure IN ('level', 'growth', 'change', 'share')", name=op.f('ck_observation_measure')),
    sa.CheckConstraint("qualifier IN ('exact', 'approx', 'more_than', 'less_than', 'range')", name=op.f('ck_observation_qualifier')),
    sa.CheckConstraint("status IN ('actual', 'target', 'estimate')", name=op.f('ck_observation_status')),
    sa.CheckConstraint('span_start >= 0 AND span_end > span_start', name=op.f('ck_observation_span')),
    sa.CheckConstraint('value_low <= value_high', name=op.f('ck_observation_low_le_high')),
    sa.CheckConstraint('year BETWEEN 1949 AND 2100', name=op.f('ck_observation_year')),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], name=op.f('fk_observation_cluster_id_cluster')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_observation_company_id_company')),
    sa.ForeignKeyConstraint(['document_id'], ['source_document.id'], name=op.f('fk_observation_document_id_source_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['load_run_id'], ['load_run.id'], name=op.f('fk_observation_load_run_id_load_run')),
    sa.ForeignKeyConstraint(['metric_code'], ['metric.code'], name=op.f('fk_observation_metric_code_metric')),
    sa.ForeignKeyConstraint(['park_id'], ['park.id'], name=op.f('fk_observation_park_id_park')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_observation_region_id_region')),
    sa.ForeignKeyConstraint(['unit_code'], ['unit.code'], name=op.f('fk_observation_unit_code_unit')),
    sa.PrimaryKeyConstraint('document_id', 'id', name=op.f('pk_observation'))
    )
    op.create_index(op.f('ix_observation_cluster_id'), 'observation', ['cluster_id'], unique=False)
    op.create_index(op.f('ix_observation_company_id'), 'observation', ['company_id'], unique=False)
    op.create_index(op.f('ix_observation_load_run_id'), 'observation', ['load_run_id'], unique=False)
    op.create_index('ix_observation_metric_year', 'observation', ['metric_code', 'year'], unique=False)
    op.create_index(op.f('ix_observation_park_id'), 'observation', ['park_id'], unique=False)
    op.create_index(op.f('ix_observation_region_id'), 'observation', ['region_id'], unique=False)
    op.create_index(op.f('ix_observation_unit_code'), 'observation', ['unit_code'], unique=False)
    op.create_table('rejected_record',
    sa.Column('document_id', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('load_run_id', sa.BigInteger(), nullable=False),
    sa.Column('raw', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('reason', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['source_document.id'], name=op.f('fk_rejected_record_document_id_source_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['load_run_id'], ['load_run.id'], name=op.f('fk_rejected_record_load_run_id_load_run')),
    sa.PrimaryKeyConstraint('document_id', 'id', name=op.f('pk_rejected_record'))
    )
    op.create_index(op.f('ix_rejected_record_load_run_id'), 'rejected_record', ['load_run_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_rejected_record_load_run_id'), table_name='rejected_record')
    op.drop_table('rejected_record')
    op.drop_index(op.f('ix_observation_unit_code'), table_name='observation')
    op.drop_index(op.f('ix_observation_region_id'), table_name='observation')
    op.drop_index(op.f('ix_observation_park_id'), table_name='observation')
    op.drop_index('ix_observation_metric_year', table_name='observation')
    op.drop_index(op.f('ix_observation_load_run_id'), table_name='observation')
    op.drop_index(op.f('ix_observation_company_id'), table_name='observation')
    op.drop_index(op.f('ix_observation_cluster_id'), table_name='observation')
    op.drop_table('observation')
    op.drop_index(op.f('ix_entity_alias_region_id'), table_name='entity_alias')
    op.drop_index(op.f('ix_entity_alias_park_id'), table_name='entity_alias')
    op.drop_index(op.f('ix_entity_alias_company_id'), table_name='entity_alias')
    op.drop_index(op.f('ix_entity_alias_cluster_id'), table_name='entity_alias')
    op.drop_table('entity_alias')
    op.drop_index(op.f('ix_source_document_load_run_id'), table_name='source_document')
    op.drop_table('source_document')
    op.drop_index(op.f('ix_park_region_id'), table_name='park')
    op.drop_table('park')
    op.drop_table('metric')
    op.drop_table('unit')
    op.drop_index(op.f('ix_region_parent_id'), table_name='region')
    op.drop_table('region')
    op.drop_table('load_run')
    op.drop_table('company')
    op.drop_table('cluster')
