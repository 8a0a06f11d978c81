"""Comments on every table and column, kept in the metadata so that alembic's
autogenerate sees the database (revision 0003 wrote them) and the models agree.

In one place rather than spread over the model classes: they are documentation for
people reading the database with `\\d+` or a BI tool, and read best together.
"""

from sqlalchemy import MetaData

_DOC = "Source document (source_document.id)."
_RUN = "The load run (load_run.id) that stored this row."
_PROVISIONAL = ("True when the loader created the entity from a name it had not seen; "
                "a curator confirms it or merges it via entity_alias.")

EVIDENCE = ("Where region, park, year and status came from: per field, the rule (sentence, "
            "paragraph, title, article, park name, self word, section heading, list intro, "
            "date line, status word, sentence frame, goal year, default…) and, where the "
            "text names it, start/end (offsets in source_document.text) and the words "
            "(revision 0009).")

TABLE_COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "unit": ("Canonical units (seeds/units.csv); observation values are stored in these.", {
        "code": "Unit code (CNY, km2, person, percent, …).",
        "dimension": "What the unit measures: money, area, people, count, ratio, …",
        "name_zh": "Chinese name.",
        "written_as": "How reports write it (元, 万元, 亿元 …); scale words are multiplied out.",
        "to_base_factor": "Factor to the base unit of the dimension.",
        "base": "Base unit of the dimension.",
    }),
    "metric": ("Indicator catalogue (seeds/metrics.csv): the only metric codes a record "
               "may use.", {
        "code": "Metric code (gdp, planned_area, enterprise_count, …; other if none fits).",
        "name_zh": "Chinese name.",
        "name_en": "English name.",
        "canonical_unit": "Unit levels of this metric are stored in (unit.code); NULL for other.",
        "synonyms_zh": "Words reports use for the metric.",
        "notes": "What the metric covers.",
    }),
    "region": ("Administrative areas (seeds/regions.csv, GB/T 2260) and places reports "
               "name that are not in it (provisional).", {
        "id": "Region key.",
        "code": "GB/T 2260 code where known.",
        "name": "Name (浙江省, 荆州区).",
        "level": ("province, prefecture or county (GB/T 2260); country, continent, world, "
                  "economic_zone (珠江三角洲) or residual (seeds/world_regions.csv) outside "
                  "China's divisions; NULL when unknown."),
        "parent_id": "The region directly above (region.id).",
        "provisional": _PROVISIONAL,
        "province_id": "The province (or provincial-level city) containing the region, or "
                       "the region itself when it is one (region.id); NULL outside one. "
                       "Kept by region_refresh_ancestry() from parent_id and level.",
        "prefecture_id": "The prefecture-level city containing the region, or itself "
                         "(region.id); NULL above or outside one. Kept by "
                         "region_refresh_ancestry().",
    }),
    "park": ("Industrial parks, development zones and 集聚区.", {
        "id": "Park key.",
        "name": "Name as first seen.",
        "region_id": "Region the park lies in (region.id).",
        "level": "Level of the park (national, provincial, …) where known.",
        "provisional": _PROVISIONAL,
    }),
    "cluster": ("Industries and industry clusters (石油机械, 光电).", {
        "id": "Cluster key.",
        "name": "Name as first seen.",
        "provisional": _PROVISIONAL,
        "sector_code": ("GB/T 4754 division code of the industry (36 = 汽车制造业) where the "
                        "industry lexicon (seeds/clusters.csv) gives one; NULL for "
                        "provisional clusters."),
        "sector_name": "GB/T 4754 division name (汽车制造业); NULL where unknown.",
    }),
    "company": ("Enterprises that figures are about.", {
        "id": "Company key.",
        "name": "Name as first seen.",
        "provisional": _PROVISIONAL,
    }),
    "entity_alias": ("Every name of every entity; (kind, alias) identifies one entity. "
                     "Names are stored after NFKC and removing spaces.", {
        "id": "Alias key.",
        "kind": "region, park, cluster or company.",
        "alias": "The name.",
        "region_id": "The region, when kind = region.",
        "park_id": "The park, when kind = park.",
        "cluster_id": "The cluster, when kind = cluster.",
        "company_id": "The company, when kind = company.",
        "entity_id": "Whichever of the four ids is set.",
        "origin": "Who made the alias: gazetteer (parkstat seed), loader (a name first seen "
                  "in a report: its provisional entity) or curator (parkstat alias add).",
    }),
    "region_name": ("Every name the gazetteer (seeds/regions.csv) gives a region, full and "
                    "short, including names several regions share (朝阳区); filled by "
                    "parkstat seed. entity_alias holds only names that identify one region; "
                    "for a shared one the loader picks the candidate whose ancestors the "
                    "document names, else the name stays provisional.", {
        "name": "The name (NFKC, no spaces).",
        "region_id": "A region of that name (region.id).",
    }),
    "entity_merge": ("One merge of an entity into another (parkstat alias add, or parkstat "
                     "seed taking over a provisional region): the merged row is deleted; "
                     "this is the record of it.", {
        "id": "Merge key.",
        "merged_at": "When.",
        "merged_by": "Database role that ran it.",
        "kind": "region, park, cluster or company.",
        "alias": "The name that was made an alias of the canonical entity.",
        "from_id": "Id of the merged (deleted) entity.",
        "from_name": "Its name.",
        "to_id": "Id of the canonical entity it was merged into.",
        "to_name": "Its name.",
        "observations_moved": "Observations moved from the merged entity to the canonical one.",
    }),
    "load_run": ("One row per parkstat load: what it did, for auditing.", {
        "id": "Load run key.",
        "started_at": "When the run started.",
        "finished_at": "When it finished; NULL while running.",
        "status": "running, succeeded, partial (some documents failed), failed, or aborted "
                  "(died; marked by the next run).",
        "documents_new": "Documents loaded for the first time.",
        "documents_changed": "Documents whose bytes or extractor changed, replaced.",
        "documents_skipped": "Documents unchanged since their last load, skipped.",
        "documents_failed": "Documents that could not be read, extracted or stored.",
        "records_loaded": "Records stored as observations.",
        "records_quarantined": "Records that failed validation (rejected_record).",
        "extractor_version": "Version of the extractor.",
        "parkstat_version": "Version of parkstat.",
        "message": "Failures or the error that stopped the run.",
    }),
    "source_document": ("A report as loaded; its decoded text is what spans index.", {
        "id": "Document key.",
        "source": ("Where the document comes from: the --source name of its load, else the "
                   "absolute path of the folder it was found under; NULL for a document "
                   "loaded before revision 0008 that no load has met since (known by name)."),
        "path_in_source": ("The file's path within its source, /-separated; with source, "
                           "what identifies the document (a reload replaces the document of "
                           "the same source and path). NULL when source is."),
        "name": "File name (the records' doc); not unique: see source and path_in_source.",
        "path": "Path the file was last loaded from.",
        "sha256": "SHA-256 of the file's bytes; unchanged bytes are not re-extracted.",
        "size": "Size in bytes.",
        "encoding": "Encoding the bytes were decoded with.",
        "title": "Title (the report's first line).",
        "stated_date": "Date the report states for itself, where it does.",
        "extractor_version": "Extractor version that produced the document's records.",
        "text": "The decoded text; span_start/span_end index it (characters).",
        "load_run_id": _RUN,
        "loaded_at": "When the document was last stored.",
    }),
    "observation": ("One record of RECORDS.md: a figure with metric, value in the "
                    "canonical unit, subject, time, status and source span.", {
        "document_id": _DOC,
        "id": "Record key (unique on its own).",
        "seq": "Order of the record within its document.",
        "load_run_id": _RUN,
        "metric_code": "Metric (metric.code).",
        "unit_code": "Canonical unit of the value (unit.code).",
        "region_id": "Region the figure is about.",
        "park_id": "Park the figure is about.",
        "cluster_id": "Industry or cluster the figure is about.",
        "company_id": "Enterprise the figure is about.",
        "value": "The figure in the canonical unit; NULL for a range.",
        "value_low": "Lower bound of a range.",
        "value_high": "Upper bound of a range.",
        "qualifier": "exact, approx, more_than, less_than or range.",
        "measure": "level, growth (percent), change (absolute) or share (percent).",
        "status": "actual, target or estimate.",
        "year": "Year the figure refers to; NULL when unsure.",
        "period": "2010, 2008-H1, 2012-01/2012-05, 2006/2010; NULL if unknown.",
        "period_text": "The time words as written.",
        "metric_text": "The words naming the metric as written.",
        "value_text": "The figure as written.",
        "span_start": "Start offset of value_text in source_document.text (characters).",
        "span_end": "End offset (exclusive).",
        "quote": "The clause around the figure, verbatim.",
        "evidence": EVIDENCE,
        "reviewed": "True when a person confirmed or corrected the record.",
        "corrected_fields": "Record fields a correction set to another value than the "
                            "extractor's.",
        "correction_id": "The add correction that created this record; NULL for the "
                         "extractor's records.",
    }),
    "series_summary": ("One row per series of observation (metric × measure × status × unit "
                       "× region × park × cluster × company × year × period), kept up to "
                       "date by the statement-level triggers series_summary_on_* on "
                       "observation (revision 0011); bi.series_value labels it. Derived "
                       "data: never written by hand.", {
        "series_key": "metric|measure|status|unit|region_id|park_id|cluster_id|company_id|"
                      "year|period (empty for NULL), as observation's ix_observation_series_key.",
        "metric_code": "Metric of the series (metric.code).",
        "measure": "level, growth, change or share.",
        "status": "actual, target or estimate.",
        "unit_code": "Unit of the series (unit.code).",
        "region_id": "Region of the series (region.id), NULL for none.",
        "park_id": "Park of the series (park.id), NULL for none.",
        "cluster_id": "Cluster of the series (cluster.id), NULL for none.",
        "company_id": "Company of the series (company.id), NULL for none.",
        "year": "Year of the series, NULL for none.",
        "period": "Period of the series, NULL for none.",
        "statements": "Observations stating the series.",
        "documents": "Distinct documents stating it.",
        "min_value": "Smallest point value (value, or the midpoint of a range).",
        "max_value": "Largest point value.",
        "median_value": "percentile_disc(0.5) of the point values.",
        "latest_document_value": "Median of the statements from the most recently dated "
                                 "document(s); NULL when none is dated.",
        "latest_document_date": "Most recent stated date among the documents.",
        "latest_document_name": "Name of that document (the first by name if several).",
        "spread_pct": "(max − min) as a percentage of the larger magnitude.",
        "disagrees": "max and min differ by more than 0.5 % of the smaller magnitude.",
    }),
    "observation_tally": ("Observations per metric, region, park and cluster and status, "
                          "kept by the same triggers as series_summary (revision 0011); "
                          "bi.record_count reads it.", {
        "dimension": "metric, region, park or cluster.",
        "key": "The metric code or the entity id as text; empty: observations with none.",
        "status": "actual, target or estimate.",
        "records": "Number of observations.",
    }),
    "rejected_record": ("Quarantine: records that failed validation, whole, with the "
                        "reason.", {
        "document_id": _DOC,
        "id": "Quarantined record key.",
        "load_run_id": _RUN,
        "raw": "The record as the extractor produced it.",
        "reason": "pydantic's validation errors (JSON).",
    }),
    'correction': (("Human corrections of extracted figures, applied over the extractor's "
        'output on every load (etl/store/corrections.py).'), {
        'id': 'Correction key; corrections are applied in this order.',
        'document_id': ('The document corrected (source_document.id); NULL once that document is '
            'deleted.'),
        'document_name': "The document's name when the correction was made.",
        'document_sha256': "SHA-256 of the document's bytes when the correction was made.",
        'kind': ('change (one field), confirm (the record is right), reject (not a '
            'figure), add (a figure the extractor missed).'),
        'span_start': 'Start of the figure in source_document.text, as found by the latest load.',
        'span_end': 'End of the figure (exclusive).',
        'quote': ('The text at the span (the figure as written); a correction applies only '
            'where it still stands.'),
        'context_before': ('Up to 30 characters before the quote, to find it again when the text '
            'moved.'),
        'context_after': 'Up to 30 characters after the quote.',
        'span_rank': ("Which of the extractor's records on this span (0 = the first in document"
            ' order).'),
        'target_correction_id': 'For a change to an added record: the add correction that made it.',
        'field': ('The record field changed (RECORDS.md names: metric, region, year, …); '
            'NULL for confirm, reject, add.'),
        'value_before': "The field's value before the correction, as text.",
        'value_after': ('The value set, as text (entity names, catalogue codes); for add, the '
            'record as JSON.'),
        'author': 'Who made the correction.',
        'created_at': 'When it was made.',
        'note': "The reviewer's note.",
        'state': 'applied by the latest load of its document, or orphaned (see orphan_reason).',
        'orphan_reason': ('Why the latest load could not apply it (the quote is gone, no record at '
            'the span, …).'),
        'applied_at': 'When it was last applied or found orphaned.',
    }),
    'app_user': ('Accounts of parkstat serve when served beyond localhost (parkstat user add).', {
        'id': 'Account key.',
        'name': 'Sign-in name; corrections record it as their author.',
        'password_hash': 'Salted password hash (werkzeug.security); never the password.',
        'role': 'reviewer (may correct) or viewer (reads only).',
        'created_at': 'When the account was made.',
    }),
}


def apply_comments(metadata: MetaData) -> None:
    for table_name, (table_comment, columns) in TABLE_COMMENTS.items():
        table = metadata.tables[table_name]
        table.comment = table_comment
        for column_name, comment in columns.items():
            table.c[column_name].comment = comment
