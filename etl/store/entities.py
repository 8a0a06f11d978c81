"""Entities by name: how names in records become region, park, cluster and company rows,
and the curator's side: listing entities, and making one name an alias of another entity.

Every name is looked up after `clean_name` (NFKC, spaces removed), per document, inside
the loader's transaction (`resolve_names`, for a batch of documents at once, with the
same result as loading them one after another):

1. **Shared region names.** A name the gazetteer gives to several regions (`region_name`:
   朝阳区 is in Beijing and in Changchun; 清河 is 清河县 in Hebei and 清河区 in Liaoning;
   通州区, 和平区, 铁西区 …) goes to the candidate whose ancestors — or itself, under another
   name — include a region the same document names: the region of another of its records
   (one whose name is not shared), or a name (full or short) of that region written
   anywhere in the document's text (北京市朝阳区). That must single out one candidate; if
   none or several qualify, rule 1 does not decide.
2. Otherwise `entity_alias` (kind, name): the gazetteer's names that identify one region
   (full and short: 荆州区, 南阳 → 南阳市 411300), names curators added with
   `parkstat alias add`, and the names of provisional entities. For a shared region name
   an alias is only a fallback: a curator's alias makes it the default, and without one
   the name is a provisional region. Context (rule 1) comes first.
3. A name still unresolved becomes a **provisional** entity of that name, with the name as
   its alias (origin `loader`); a new park takes the region of its first record.

Merging (`add_alias`): the alias's provisional entity is folded into the canonical one in
one transaction — observations, aliases (and for a region: parks and child regions) move
over, the provisional row is deleted and `entity_merge` records what happened. A later
load resolves the name through its alias, so re-loaded documents land on the canonical
entity too. Confirmed entities (not provisional) are never merged away.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import psycopg

ENTITY_KINDS = ("region", "park", "cluster", "company")
ALIAS_ORIGINS = ("gazetteer", "loader", "curator")

Action = Literal["added", "merged", "unchanged"]


class EntityError(Exception):
    """A curation request that cannot be carried out; the message says why."""


class EntityNotFound(EntityError):
    """No entity has the name."""


class AmbiguousName(EntityError):
    """Several entities (or kinds) have the name."""


class AliasConflict(EntityError):
    """The alias already names a confirmed entity; merging it away is not allowed."""


class EntitiesLocked(EntityError):
    """A load is running; entities cannot change under it."""


def clean_name(name: str | None) -> str | None:
    """Names as entity_alias stores them: NFKC (full-width → half-width), no spaces."""
    return None if name is None else _clean(name)


@functools.lru_cache(maxsize=8192)
def _clean(name: str) -> str | None:
    # Cached: the loader cleans four names per record, mostly the same few per document
    # (a third of its Python time at 1,000 reports before the cache).
    cleaned = "".join(unicodedata.normalize("NFKC", name).split())
    return cleaned or None


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in ENTITY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(ENTITY_KINDS)}, not {kind!r}")


# --- resolution, used by the loader ------------------------------------------------------

# (kind, doc, name): a name as one document of a batch uses it; doc is the document's
# number in the batch. What `resolve_names` maps to an entity id.
NameKey = tuple[str, int, str]


@dataclass(frozen=True)
class StagedName:
    """A distinct (kind, doc, name) of a batch, with what rule 3 needs if it is new: the
    seq of its document's first record naming it (new entities are numbered in order of
    first use), and for a park the region name of the first of those records that names
    a region (a new park lies in that region)."""

    kind: str
    doc: int
    name: str
    first_seq: int
    region: str | None = None


# Names are resolved per distinct (kind, document, name), not per record: a batch of
# 20,000 records names a few thousand.
_ANALYZE_FROM = 200  # names; below, any plan is fast, and ANALYZE costs more than it saves
_STAGE_NAME_TABLE = """CREATE TEMP TABLE IF NOT EXISTS stage_name (kind text, doc int,
    name text, first_seq int, region text, id bigint) ON COMMIT DELETE ROWS"""

# The documents that name a region by a shared name: only their texts are needed (rule
# 1). One index probe per distinct name (pk_region_name leads with name); a join here
# made the planner scan all of region_name.
_SHARED_DOCS = """
SELECT DISTINCT n.doc FROM stage_name n
JOIN (SELECT s.name FROM (SELECT DISTINCT name FROM stage_name WHERE kind = 'region') s
      WHERE (SELECT count(*) FROM region_name g WHERE g.name = s.name) > 1) shared
  USING (name)
WHERE n.kind = 'region'
ORDER BY n.doc"""

_STAGE_TEXT_TABLE = """CREATE TEMP TABLE IF NOT EXISTS stage_text (doc int, clean_text text)
    ON COMMIT DELETE ROWS"""

# Rule 1 for every (document, shared name) pair of the batch: the candidates' ancestry is
# walked once per name; the evidence (the document's other regions, its text) is the
# pair's own document's.
_SHARED_BY_CONTEXT = """
WITH RECURSIVE pairs AS (
    SELECT doc, name FROM stage_name WHERE kind = 'region'
), shared AS (
    SELECT g.name FROM region_name g JOIN (SELECT DISTINCT name FROM pairs) n USING (name)
    GROUP BY g.name HAVING count(*) > 1
), named AS (
    SELECT DISTINCT p.doc, a.region_id AS id FROM pairs p
    JOIN entity_alias a ON a.kind = 'region' AND a.alias = p.name
    WHERE p.name NOT IN (SELECT name FROM shared)
), up AS (
    SELECT g.name, g.region_id AS candidate, g.region_id AS ancestor, 0 AS depth
    FROM region_name g JOIN shared USING (name)
    UNION ALL
    SELECT up.name, up.candidate, r.parent_id, up.depth + 1
    FROM up JOIN region r ON r.id = up.ancestor
    WHERE r.parent_id IS NOT NULL AND up.depth < 8
), backed AS (
    SELECT DISTINCT p.doc, up.name, up.candidate
    FROM pairs p JOIN up USING (name) JOIN stage_text t USING (doc)
    WHERE EXISTS (SELECT 1 FROM named n WHERE n.doc = p.doc AND n.id = up.ancestor)
       OR EXISTS (SELECT 1 FROM region_name an
                  WHERE an.region_id = up.ancestor AND an.name <> up.name
                    AND strpos(t.clean_text, an.name) > 0)
), chosen AS (
    SELECT doc, name, min(candidate) AS id FROM backed GROUP BY doc, name HAVING count(*) = 1
)
UPDATE stage_name n SET id = chosen.id FROM chosen
WHERE n.kind = 'region' AND n.doc = chosen.doc AND n.name = chosen.name"""

# Rule 2 for all four kinds at once (entity_id: the alias's one target, whatever its kind).
_BY_ALIAS = """UPDATE stage_name n SET id = a.entity_id FROM entity_alias a
WHERE n.id IS NULL AND a.kind = n.kind AND a.alias = n.name"""


def _provisional_sql(kind: str) -> str:
    """Rule 3: create a provisional entity (and its alias) for each name still unresolved,
    once for the whole batch, and resolve every document's use of the name to it.
    Entities are created in the order of their first use (document, then seq), and a new
    park takes the region of the first document naming it: the same rows as when each
    document was loaded alone, in turn."""
    region_col = region_val = region_join = ""
    if kind == "park":
        region_col, region_val = ", region_id", ", r.id AS region_id"
        region_join = ("LEFT JOIN stage_name r ON r.kind = 'region' AND r.doc = n.doc"
                       " AND r.name = n.region")
    return f"""
        WITH missing AS (
            SELECT DISTINCT ON (n.name) n.name, n.doc, n.first_seq{region_val}
            FROM stage_name n {region_join}
            WHERE n.kind = '{kind}' AND n.id IS NULL
            ORDER BY n.name, n.doc
        ), created AS (
            INSERT INTO {kind} (name, provisional{region_col})
            SELECT name, true{region_col} FROM missing ORDER BY doc, first_seq
            RETURNING id, name
        ), named AS (
            INSERT INTO entity_alias (kind, alias, {kind}_id, origin)
            SELECT '{kind}', name, id, 'loader' FROM created
        )
        UPDATE stage_name n SET id = c.id FROM created c
        WHERE n.kind = '{kind}' AND n.name = c.name AND n.id IS NULL"""


def resolve_names(cur: psycopg.Cursor[Any], names: Iterable[StagedName],
                  text_of: Callable[[int], str]) -> dict[NameKey, int]:
    """The entity id of each name a batch of documents uses, by the rules in the module
    docstring: {(kind, doc, name): id}, for every distinct (kind, doc, name) in `names`
    (names already `clean_name`d). Provisional entities are created as needed.

    `text_of(doc)` is the text of document number `doc`; it is asked for only for the
    documents that name a region by a shared name (rule 1 looks for names in it). Each
    document is resolved as if it were loaded alone, after the documents before it
    (lower numbers); a name first seen in the batch becomes one provisional entity,
    shared by every document naming it. The caller owns the transaction (and the load
    lock); the work happens in the temporary tables stage_name and stage_text."""
    cur.execute(_STAGE_NAME_TABLE)
    count = 0
    with cur.copy("COPY stage_name (kind, doc, name, first_seq, region) FROM STDIN") as copy:
        for n in names:
            copy.write_row((n.kind, n.doc, n.name, n.first_seq, n.region))
            count += 1
    if count > _ANALYZE_FROM:
        # Temporary tables have no statistics but from ANALYZE: without them the planner
        # takes stage_name for one row and joins it to itself by nested loop (~0.3 s for
        # a batch of 500 documents).
        cur.execute("ANALYZE stage_name")
    docs = [int(doc) for (doc,) in cur.execute(_SHARED_DOCS)]
    if docs:
        cur.execute(_STAGE_TEXT_TABLE)
        with cur.copy("COPY stage_text (doc, clean_text) FROM STDIN") as copy:
            for doc in docs:
                copy.write_row((doc, clean_name(text_of(doc)) or ""))
        cur.execute(_SHARED_BY_CONTEXT)
    cur.execute(_BY_ALIAS)
    new = {kind for (kind,) in cur.execute("SELECT DISTINCT kind FROM stage_name"
                                           " WHERE id IS NULL")}
    for kind in ENTITY_KINDS:  # region first: a new park takes its records' region
        if kind in new:
            cur.execute(_provisional_sql(kind))
    return {(kind, int(doc), name): int(id_) for kind, doc, name, id_
            in cur.execute("SELECT kind, doc, name, id FROM stage_name")}


# --- reading -----------------------------------------------------------------------------

@dataclass(frozen=True)
class EntityInfo:
    kind: str
    id: int
    name: str
    provisional: bool
    observations: int
    documents: int
    first_document: str | None  # the earliest loaded document with one of its records
    code: str | None = None  # regions: GB/T 2260
    region: str | None = None  # parks: the region they lie in
    region_code: str | None = None
    aliases: list[str] = field(default_factory=list)  # other names, sorted

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AliasInfo:
    kind: str
    alias: str
    origin: str
    entity_id: int
    entity_name: str
    provisional: bool
    code: str | None = None  # regions: GB/T 2260

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entities_sql(kinds: tuple[str, ...]) -> str:
    parts = []
    for k in kinds:
        code = "code" if k == "region" else "NULL::text"
        region = "region_id" if k == "park" else "NULL::bigint"
        parts.append(f"SELECT '{k}'::text AS kind, id, name, provisional, {code} AS code,"
                     f" {region} AS region_id FROM {k}")
    return " UNION ALL ".join(parts)


def _check_schema(conn: psycopg.Connection) -> None:
    """EntityError, with the fix, on a database without the schema these functions need."""
    row = conn.execute("SELECT to_regclass('entity_merge') IS NOT NULL").fetchone()
    if not (row and row[0]):
        raise EntityError("the database schema is missing or older than this parkstat; "
                          "run `parkstat db upgrade` (then `parkstat seed`)")


def list_entities(conn: psycopg.Connection, provisional: bool = True,
                  kind: str | None = None) -> list[EntityInfo]:
    """Entities (only provisional ones unless `provisional=False`), of one kind or all,
    with their number of observations and the first document that has one; ordered by
    kind, then most observations first."""
    _check_kind(kind)
    kinds = (kind,) if kind else ENTITY_KINDS
    obs = " UNION ALL ".join(
        f"SELECT '{k}'::text AS kind, {k}_id AS id, document_id FROM observation"
        f" WHERE {k}_id IS NOT NULL" for k in kinds)
    sql = f"""
        WITH e AS ({_entities_sql(kinds)}),
        o AS (SELECT kind, id, count(*) AS n, count(DISTINCT document_id) AS docs,
                     min(document_id) AS first_doc
              FROM ({obs}) x GROUP BY kind, id)
        SELECT e.kind, e.id, e.name, e.provisional, coalesce(o.n, 0), coalesce(o.docs, 0),
               d.name, e.code, r.name, r.code,
               (SELECT coalesce(array_agg(a.alias ORDER BY a.alias), '{{}}')
                FROM entity_alias a
                WHERE a.kind = e.kind AND a.entity_id = e.id AND a.alias <> e.name)
        FROM e LEFT JOIN o ON o.kind = e.kind AND o.id = e.id
        LEFT JOIN region r ON r.id = e.region_id
        LEFT JOIN source_document d ON d.id = o.first_doc
        WHERE e.provisional OR NOT %(only_provisional)s
        ORDER BY array_position(%(kinds)s::text[], e.kind), coalesce(o.n, 0) DESC,
                 e.name, e.id"""
    _check_schema(conn)
    rows = conn.execute(sql, {"only_provisional": provisional,
                              "kinds": list(ENTITY_KINDS)}).fetchall()
    return [EntityInfo(kind=r[0], id=int(r[1]), name=r[2], provisional=bool(r[3]),
                       observations=int(r[4]), documents=int(r[5]), first_document=r[6],
                       code=r[7], region=r[8], region_code=r[9], aliases=list(r[10]))
            for r in rows]


def list_aliases(conn: psycopg.Connection, kind: str | None = None,
                 origin: str | None = None) -> list[AliasInfo]:
    """Every alias (of one kind, of one origin) with the entity it names."""
    _check_kind(kind)
    if origin is not None and origin not in ALIAS_ORIGINS:
        raise ValueError(f"origin must be one of {', '.join(ALIAS_ORIGINS)}, not {origin!r}")
    kinds = (kind,) if kind else ENTITY_KINDS
    sql = f"""
        WITH e AS ({_entities_sql(kinds)})
        SELECT a.kind, a.alias, a.origin, e.id, e.name, e.provisional, e.code
        FROM entity_alias a JOIN e ON e.kind = a.kind AND e.id = a.entity_id
        WHERE %(origin)s::text IS NULL OR a.origin = %(origin)s
        ORDER BY array_position(%(kinds)s::text[], a.kind), e.name, e.id, a.alias"""
    _check_schema(conn)
    rows = conn.execute(sql, {"origin": origin, "kinds": list(ENTITY_KINDS)}).fetchall()
    return [AliasInfo(kind=r[0], alias=r[1], origin=r[2], entity_id=int(r[3]),
                      entity_name=r[4], provisional=bool(r[5]), code=r[6]) for r in rows]


# --- merging -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entity:
    kind: str
    id: int
    name: str
    provisional: bool
    code: str | None
    where: str | None  # parent region (regions) or region (parks)

    def describe(self) -> str:
        bits = [f"id {self.id}"]
        if self.code:
            bits.append(f"code {self.code}")
        if self.where:
            bits.append(f"in {self.where}")
        if self.provisional:
            bits.append("provisional")
        return f"{self.kind} {self.name} ({', '.join(bits)})"


@dataclass(frozen=True)
class AliasResult:
    kind: str
    alias: str
    action: Action  # added: a new alias; merged: a provisional entity folded in
    canonical_id: int
    canonical_name: str
    merged_id: int | None = None
    merged_name: str | None = None
    observations_moved: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entities(cur: psycopg.Cursor[Any], kind: str, ids: set[int]) -> list[_Entity]:
    if not ids:
        return []
    if kind == "region":
        sql = ("SELECT e.id, e.name, e.provisional, e.code, p.name FROM region e"
               " LEFT JOIN region p ON p.id = e.parent_id WHERE e.id = ANY(%s)")
    elif kind == "park":
        sql = ("SELECT e.id, e.name, e.provisional, NULL, r.name FROM park e"
               " LEFT JOIN region r ON r.id = e.region_id WHERE e.id = ANY(%s)")
    else:
        sql = f"SELECT id, name, provisional, NULL, NULL FROM {kind} WHERE id = ANY(%s)"
    rows = cur.execute(sql + " ORDER BY 1", (sorted(ids),)).fetchall()
    return [_Entity(kind, int(r[0]), r[1], bool(r[2]), r[3], r[4]) for r in rows]


def _alias_target(cur: psycopg.Cursor[Any], kind: str, alias: str) -> _Entity | None:
    row = cur.execute("SELECT entity_id FROM entity_alias WHERE kind = %s AND alias = %s",
                      (kind, alias)).fetchone()
    if row is None:
        return None
    found = _entities(cur, kind, {int(row[0])})
    return found[0] if found else None


def _candidates(cur: psycopg.Cursor[Any], kind: str, name: str) -> list[_Entity]:
    """Entities of `kind` that `name` designates: by alias, by name, and for regions by
    GB/T 2260 code or any gazetteer name (shared ones included)."""
    ids: set[int] = set()
    queries = [("SELECT entity_id FROM entity_alias WHERE kind = %s AND alias = %s",
                (kind, name)),
               (f"SELECT id FROM {kind} WHERE name = %s", (name,))]
    if kind == "region":
        queries += [("SELECT id FROM region WHERE code = %s", (name,)),
                    ("SELECT region_id FROM region_name WHERE name = %s", (name,))]
    for sql, params in queries:
        ids.update(int(r[0]) for r in cur.execute(sql, params))
    return _entities(cur, kind, ids)


def _lock(cur: psycopg.Cursor[Any], wait: float) -> None:
    """Hold the load lock for this transaction: no load runs while entities change."""
    from etl.store.lock import take_load_lock

    if take_load_lock(cur.connection, wait):
        return
    run = cur.execute("SELECT max(id) FROM load_run WHERE status = 'running'").fetchone()
    which = f" (load run {run[0]})" if run and run[0] else ""
    raise EntitiesLocked(f"a parkstat load is running{which}; try again when it ends "
                         "(or pass --wait SECONDS)")


def merge_entity(cur: psycopg.Cursor[Any], kind: str, source_id: int, target_id: int,
                 alias: str) -> int:
    """Fold entity `source_id` into `target_id` (same kind): its observations and aliases
    (for a region also the parks in it and regions under it) move over, gaps in the target
    (a park's region and level, a region's parent and level) are filled from it, the merge
    is recorded in entity_merge and the source row deleted. Returns the number of
    observations moved. The caller owns the transaction (and should hold the load lock)."""
    if kind not in ENTITY_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if source_id == target_id:
        raise ValueError("cannot merge an entity into itself")
    col = f"{kind}_id"
    names = dict(cur.execute(f"SELECT id, name FROM {kind} WHERE id = ANY(%s) FOR UPDATE",
                             ([source_id, target_id],)).fetchall())
    if source_id not in names or target_id not in names:
        raise EntityNotFound(f"{kind} {source_id if source_id not in names else target_id} "
                             "does not exist")
    moved = cur.execute(f"UPDATE observation SET {col} = %s WHERE {col} = %s",
                        (target_id, source_id)).rowcount
    cur.execute(f"UPDATE entity_alias SET {col} = %s WHERE {col} = %s", (target_id, source_id))
    if kind == "park":
        cur.execute("""UPDATE park t SET region_id = coalesce(t.region_id, s.region_id),
                         level = coalesce(t.level, s.level)
                       FROM park s WHERE t.id = %s AND s.id = %s""", (target_id, source_id))
    elif kind == "region":
        cur.execute("UPDATE park SET region_id = %s WHERE region_id = %s",
                    (target_id, source_id))
        cur.execute("UPDATE region SET parent_id = %s WHERE parent_id = %s AND id <> %s",
                    (target_id, source_id, target_id))
        cur.execute("""UPDATE region t SET
                         parent_id = CASE WHEN t.parent_id IS NULL OR t.parent_id = s.id
                                          THEN nullif(s.parent_id, t.id)
                                          ELSE t.parent_id END,
                         level = coalesce(t.level, s.level)
                       FROM region s WHERE t.id = %s AND s.id = %s""", (target_id, source_id))
        cur.execute("""INSERT INTO region_name (name, region_id)
                       SELECT name, %s FROM region_name WHERE region_id = %s
                       ON CONFLICT DO NOTHING""", (target_id, source_id))
    cur.execute(
        """INSERT INTO entity_merge (kind, alias, from_id, from_name, to_id, to_name,
             observations_moved) VALUES (%s, %s, %s, %s, %s, %s, %s)""",
        (kind, alias, source_id, names[source_id], target_id, names[target_id], moved))
    cur.execute(f"DELETE FROM {kind} WHERE id = %s", (source_id,))
    if kind == "region":  # parents and levels changed: province_id / prefecture_id too
        refresh_region_ancestry(cur)
    return moved


def refresh_region_ancestry(cur: psycopg.Cursor[Any]) -> int:
    """Recompute region.province_id and region.prefecture_id from parent_id and level (SQL
    function region_refresh_ancestry(), migration 0005) after regions or their parents
    change; bi.dim_region and bi.observation read them. Returns the regions changed."""
    row = cur.execute("SELECT region_refresh_ancestry()").fetchone()
    return int(row[0]) if row else 0


def _choose_kind(cur: psycopg.Cursor[Any], alias: str, canonical: str) -> str:
    found = [k for k in ENTITY_KINDS if _candidates(cur, k, canonical)]
    if not found:
        raise EntityNotFound(f"no region, park, cluster or company is named {canonical!r}")
    if len(found) > 1:
        with_alias = [k for k in found if _alias_target(cur, k, alias) is not None]
        if len(with_alias) == 1:
            return with_alias[0]
        raise AmbiguousName(f"{canonical!r} names a {' and a '.join(found)}; "
                            "say which with --kind")
    return found[0]


def add_alias(conn: psycopg.Connection, alias: str, canonical: str, kind: str | None = None, *,
              wait: float = 0) -> AliasResult:
    """Make `alias` a name of the entity `canonical` designates (its name, one of its
    aliases, or for a region its GB/T 2260 code), of `kind` (found from the names when
    None).

    In one transaction, under the load lock (committed when it returns; a savepoint when
    `conn` is already in a transaction, which the caller then commits or rolls back).
    If `alias` is the name of a provisional entity, that entity is merged into the
    canonical one (`merge_entity`) in one transaction; if it is a new name, it becomes an
    alias; if it already names the canonical entity nothing changes. Raises
    `EntityNotFound`, `AmbiguousName` (several entities fit: the message lists them),
    `AliasConflict` (the alias names another, confirmed, entity), `EntitiesLocked`
    (a load is running; waits up to `wait` seconds first), `ValueError` (bad arguments).
    """
    _check_kind(kind)
    alias_c, canonical_c = clean_name(alias), clean_name(canonical)
    if not alias_c or not canonical_c:
        raise ValueError("the alias and the canonical name must not be empty")
    with conn.transaction(), conn.cursor() as cur:
        _check_schema(conn)
        _lock(cur, wait)
        k = kind or _choose_kind(cur, alias_c, canonical_c)
        current = _alias_target(cur, k, alias_c)
        cands = _candidates(cur, k, canonical_c)
        if current is not None and len(cands) > 1:
            cands = [c for c in cands if c.id != current.id] or cands
        if not cands:
            raise EntityNotFound(f"no {k} is named {canonical!r} (by name, alias"
                                 f"{' or code' if k == 'region' else ''})")
        if len(cands) > 1:
            listed = "; ".join(c.describe() for c in cands)
            hint = " or its code" if k == "region" else ""
            raise AmbiguousName(f"{canonical!r} is ambiguous: {listed}. Name the one you "
                                f"mean by a name or alias only it has{hint}")
        target = cands[0]
        if current is not None and current.id == target.id:
            return AliasResult(k, alias_c, "unchanged", target.id, target.name)
        if current is None:
            cur.execute(f"INSERT INTO entity_alias (kind, alias, {k}_id, origin)"
                        " VALUES (%s, %s, %s, 'curator')", (k, alias_c, target.id))
            return AliasResult(k, alias_c, "added", target.id, target.name)
        if not current.provisional:
            raise AliasConflict(
                f"{alias_c!r} already names {current.describe()}, a confirmed {k}; "
                "only provisional entities are merged")
        moved = merge_entity(cur, k, current.id, target.id, alias_c)
        cur.execute("UPDATE entity_alias SET origin = 'curator' WHERE kind = %s AND alias = %s",
                    (k, alias_c))
        return AliasResult(k, alias_c, "merged", target.id, target.name,
                           merged_id=current.id, merged_name=current.name,
                           observations_moved=moved)


def adopt_gazetteer_names(cur: psycopg.Cursor[Any]) -> int:
    """For `parkstat seed`: a provisional region whose name the gazetteer now gives to
    exactly one region is merged into it. Skipped (0) while a load runs; the next seed
    does it. Returns the number of regions merged."""
    from etl.store.lock import take_load_lock

    if not take_load_lock(cur.connection, 0):
        return 0
    pairs = cur.execute(
        """SELECT a.alias, p.id, min(g.region_id)
           FROM entity_alias a JOIN region p ON p.id = a.region_id AND p.provisional
           JOIN region_name g ON g.name = a.alias
           WHERE a.kind = 'region'
           GROUP BY a.alias, p.id HAVING count(*) = 1
           ORDER BY a.alias""").fetchall()
    merged = 0
    for alias, source, target in pairs:
        exists = cur.execute("SELECT 1 FROM region WHERE id = %s", (source,)).fetchone()
        if exists is None or source == target:
            continue  # already merged under another of its names
        merge_entity(cur, "region", int(source), int(target), alias)
        cur.execute("UPDATE entity_alias SET origin = 'gazetteer'"
                    " WHERE kind = 'region' AND alias = %s", (alias,))
        merged += 1
    return merged
