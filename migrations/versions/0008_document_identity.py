"""A document is identified by its source and its path within that source, not by its
file name: loading `a/report.txt` and later a different `b/report.txt` gave one document
(the second replaced the first's records).

- `source_document.source`: the `--source NAME` of the load, else the absolute path of
  the folder the file was found under (etl/inputs/identity.py); `path_in_source`: the file's
  path relative to it, `/`-separated. Unique together (`uq_source_document_source`).
- `name` (the file name, the records' `doc`) is no longer unique; `path` is where the
  file was last read from.
- Documents loaded before this revision are known by their name only: `source` and
  `path_in_source` are NULL (both or neither: `ck_source_document_identity`), and their
  name is still unique among them (`uq_source_document_legacy_name`). A row inserted
  without an identity (by hand, by an older tool) is such a document too.
  The first load that meets the same file again — the same bytes, or the same path —
  gives it that file's identity ("adopts" it, etl/store/load.py `_adopt`), so an unchanged
  corpus is still skipped after the upgrade and a changed file still replaces its
  records; a different file of the same name elsewhere becomes a new document.
- `bi.dim_document` gains `document_source` and `document_path` (CREATE OR REPLACE keeps
  its comments and the reader's grant).

The downgrade puts back the unique name: a document whose name another one (loaded
earlier) already has is renamed `name #id`.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SOURCE_COMMENT = ("Where the document comes from: the --source name of its load, else the "
                  "absolute path of the folder it was found under; NULL for a document "
                  "loaded before revision 0008 that no load has met since (known by name).")
PATH_IN_SOURCE_COMMENT = ("The file's path within its source, /-separated; with source, "
                          "what identifies the document (a reload replaces the document of "
                          "the same source and path). NULL when source is.")
NAME_COMMENT = "File name (the records' doc); not unique: see source and path_in_source."
PATH_COMMENT = "Path the file was last loaded from."
OLD_NAME_COMMENT = "File name; a reload replaces the document of the same name."
OLD_PATH_COMMENT = "Path the file was loaded from."

DIM_DOCUMENT = """
SELECT d.id AS document_id, d.name AS document_name, d.title AS document_title,
    d.stated_date AS document_date, d.sha256, d.size AS size_bytes, d.encoding,
    char_length(d.text) AS text_chars, d.extractor_version, d.load_run_id, d.loaded_at,
    (SELECT count(*) FROM public.observation o WHERE o.document_id = d.id) AS records,
    (SELECT count(*) FROM public.rejected_record q WHERE q.document_id = d.id)
        AS quarantined"""
NEW_COLUMNS = """,
    d.source AS document_source, d.path_in_source AS document_path"""
DIM_DOCUMENT_FROM = """
FROM public.source_document d"""


# 0002's comments on bi.dim_document, for the downgrade.
COMMENT_0002 = ("Source reports as loaded, one row each, with record counts.", {
    "document_id": "Document key.",
    "document_name": "File name of the report (the key reloads replace by).",
    "document_title": "Title of the report (its first line).",
    "document_date": "Date the report states for itself, where it does.",
    "sha256": "SHA-256 of the file's bytes as loaded.",
    "size_bytes": "Size of the file in bytes.",
    "encoding": "Text encoding the file was decoded with.",
    "text_chars": "Length of the decoded text in characters (what span offsets index).",
    "extractor_version": "Version of the extractor that produced the records.",
    "load_run_id": "The load run that last stored the document.",
    "loaded_at": "When the document was last stored.",
    "records": "Number of records (observations) from the document.",
    "quarantined": "Number of records that failed validation and were quarantined.",
})


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('source_document', sa.Column('source', sa.Text(), nullable=True,
                                               comment=SOURCE_COMMENT))
    op.add_column('source_document', sa.Column('path_in_source', sa.Text(), nullable=True,
                                               comment=PATH_IN_SOURCE_COMMENT))
    op.create_check_constraint(op.f('ck_source_document_identity'), 'source_document',
                               '(source IS NULL) = (path_in_source IS NULL)')
    op.drop_constraint(op.f('uq_source_document_name'), 'source_document', type_='unique')
    op.create_unique_constraint(op.f('uq_source_document_source'), 'source_document',
                                ['source', 'path_in_source'])
    op.create_index('uq_source_document_legacy_name', 'source_document', ['name'],
                    unique=True, postgresql_where=sa.text('source IS NULL'))
    op.alter_column('source_document', 'name', existing_type=sa.Text(),
                    comment=NAME_COMMENT, existing_comment=OLD_NAME_COMMENT,
                    existing_nullable=False)
    op.alter_column('source_document', 'path', existing_type=sa.Text(),
                    comment=PATH_COMMENT, existing_comment=OLD_PATH_COMMENT,
                    existing_nullable=False)
    op.execute(f"CREATE OR REPLACE VIEW bi.dim_document AS {DIM_DOCUMENT}{NEW_COLUMNS}"
               f"{DIM_DOCUMENT_FROM}")
    op.execute("COMMENT ON COLUMN bi.dim_document.document_name IS "
               + _q("File name of the report (not unique: several sources may have "
                    "an index.html)."))
    op.execute("COMMENT ON COLUMN bi.dim_document.document_source IS "
               + _q("The report's source: the --source name of its load, else the folder "
                    "it was loaded from; NULL if loaded before revision 0008 and not "
                    "since."))
    op.execute("COMMENT ON COLUMN bi.dim_document.document_path IS "
               + _q("The report's path within its source; source and path identify it."))


def downgrade() -> None:
    """Downgrade schema."""
    # A view cannot lose columns by CREATE OR REPLACE: drop and re-create 0002's, with
    # its comments and the reader's grant.
    op.execute("DROP VIEW bi.dim_document")
    op.execute(f"CREATE VIEW bi.dim_document AS {DIM_DOCUMENT}{DIM_DOCUMENT_FROM}")
    table_comment, columns = COMMENT_0002
    op.execute(f"COMMENT ON VIEW bi.dim_document IS {_q(table_comment)}")
    for column, comment in columns.items():
        op.execute(f"COMMENT ON COLUMN bi.dim_document.{column} IS {_q(comment)}")
    op.execute("""
    DO $$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parkstat_reader') THEN
            GRANT SELECT ON bi.dim_document TO parkstat_reader;
        END IF;
    END $$""")
    op.execute("""
        UPDATE source_document d SET name = d.name || ' #' || d.id
        WHERE EXISTS (SELECT 1 FROM source_document e WHERE e.name = d.name AND e.id < d.id)""")
    op.drop_index('uq_source_document_legacy_name', table_name='source_document',
                  postgresql_where=sa.text('source IS NULL'))
    op.drop_constraint(op.f('uq_source_document_source'), 'source_document', type_='unique')
    op.drop_constraint(op.f('ck_source_document_identity'), 'source_document', type_='check')
    op.create_unique_constraint(op.f('uq_source_document_name'), 'source_document', ['name'])
    op.alter_column('source_document', 'path', existing_type=sa.Text(),
                    comment=OLD_PATH_COMMENT, existing_comment=PATH_COMMENT,
                    existing_nullable=False)
    op.alter_column('source_document', 'name', existing_type=sa.Text(),
                    comment=OLD_NAME_COMMENT, existing_comment=NAME_COMMENT,
                    existing_nullable=False)
    op.drop_column('source_document', 'path_in_source')
    op.drop_column('source_document', 'source')
