"""`parkstat export --where`: one expression over bi.observation's columns, and nothing else.

The filter is parsed with PostgreSQL's own grammar (pglast, libpg_query) as the WHERE of
`SELECT 1 FROM bi.observation WHERE …`; what is kept must be exactly that statement, and
its condition may hold only:

- column names of bi.observation and constants;
- operators written as symbols (`= <> < > <= >= + - * / % ^ || ~ ~* !~ !~*`), AND / OR /
  NOT, IS [NOT] NULL / TRUE / FALSE / DISTINCT FROM, [NOT] IN (list), [NOT] BETWEEN,
  [NOT] LIKE / ILIKE / SIMILAR TO, `op ANY/ALL (ARRAY[…])`, CASE, COALESCE, NULLIF,
  GREATEST, LEAST, ARRAY[…], CURRENT_DATE and the other date/time keywords;
- casts to the plain built-in types (TYPES) and calls of the functions in FUNCTIONS —
  string, number and date functions without side effects.

Everything else is refused with one line saying what: a second statement, a subquery, a
function not on the list (set_config, pg_sleep, pg_read_file, lo_from_bytea, query_to_xml
…), a column of another table, a parameter. The condition that runs is printed back from
the parse tree (`compile_where`), never the text as given, so comments, unbalanced
parentheses and anything the parser dropped cannot reach the server.

This is one of four walls (etl/serve/export_tables.py has the others): the export also runs as
the role parkstat_reader, in a READ ONLY transaction with a statement timeout, through
the extended query protocol, which refuses a second statement.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from pglast import ast, parse_sql
from pglast.enums import A_Expr_Kind, SetOperation, SQLValueFunctionOp
from pglast.parser import ParseError
from pglast.stream import RawStream

MAX_CHARS = 10_000
_PREFIX = "SELECT 1 FROM bi.observation WHERE "
_SKELETON = "SELECT 1 FROM bi.observation"

OPERATORS = frozenset({
    "=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "^", "||",
    "~", "~*", "!~", "!~*", "~~", "~~*", "!~~", "!~~*",
})
_KINDS = frozenset({
    A_Expr_Kind.AEXPR_OP, A_Expr_Kind.AEXPR_OP_ANY, A_Expr_Kind.AEXPR_OP_ALL,
    A_Expr_Kind.AEXPR_DISTINCT, A_Expr_Kind.AEXPR_NOT_DISTINCT, A_Expr_Kind.AEXPR_NULLIF,
    A_Expr_Kind.AEXPR_IN, A_Expr_Kind.AEXPR_LIKE, A_Expr_Kind.AEXPR_ILIKE,
    A_Expr_Kind.AEXPR_SIMILAR, A_Expr_Kind.AEXPR_BETWEEN, A_Expr_Kind.AEXPR_NOT_BETWEEN,
    A_Expr_Kind.AEXPR_BETWEEN_SYM, A_Expr_Kind.AEXPR_NOT_BETWEEN_SYM,
})
_RANGE_KINDS = frozenset({
    A_Expr_Kind.AEXPR_BETWEEN, A_Expr_Kind.AEXPR_NOT_BETWEEN,
    A_Expr_Kind.AEXPR_BETWEEN_SYM, A_Expr_Kind.AEXPR_NOT_BETWEEN_SYM,
})

# Functions a filter may call: pg_catalog's, no side effects, no file or catalogue access,
# none that builds a string of a size the caller chooses (repeat, lpad, rpad).
FUNCTIONS = frozenset({
    # text
    "lower", "upper", "initcap", "length", "char_length", "character_length",
    "octet_length", "substr", "substring", "left", "right", "strpos", "position",
    "replace", "translate", "btrim", "ltrim", "rtrim", "trim", "concat", "concat_ws",
    "starts_with", "split_part", "reverse", "normalize", "regexp_like", "regexp_replace",
    "regexp_match", "regexp_count", "regexp_substr", "similar_to_escape", "like_escape",
    "to_char", "to_number", "to_date", "to_timestamp",
    # numbers
    "abs", "round", "trunc", "floor", "ceil", "ceiling", "sign", "mod", "power", "pow",
    "sqrt", "cbrt", "exp", "ln", "log", "log10", "div", "num_nulls", "num_nonnulls",
    # dates
    "date_part", "extract", "date_trunc", "make_date", "age", "now",
    # arrays
    "array_length", "cardinality", "array_position", "string_to_array", "array_to_string",
})

TYPES = frozenset({
    "int2", "int4", "int8", "smallint", "integer", "int", "bigint", "numeric", "decimal",
    "float4", "float8", "real", "text", "varchar", "bpchar", "char", "date", "timestamp",
    "timestamptz", "time", "timetz", "interval", "bool", "boolean",
})

_DATE_KEYWORDS = frozenset({
    SQLValueFunctionOp.SVFOP_CURRENT_DATE, SQLValueFunctionOp.SVFOP_CURRENT_TIME,
    SQLValueFunctionOp.SVFOP_CURRENT_TIME_N, SQLValueFunctionOp.SVFOP_CURRENT_TIMESTAMP,
    SQLValueFunctionOp.SVFOP_CURRENT_TIMESTAMP_N, SQLValueFunctionOp.SVFOP_LOCALTIME,
    SQLValueFunctionOp.SVFOP_LOCALTIME_N, SQLValueFunctionOp.SVFOP_LOCALTIMESTAMP,
    SQLValueFunctionOp.SVFOP_LOCALTIMESTAMP_N,
})


class WhereError(ValueError):
    """The filter is not one allowed expression; the message says why, in one line."""


def compile_where(text: str, columns: Collection[str]) -> str | None:
    """The filter as the SQL that will run (printed from its parse tree), or None when it
    is empty. Raises WhereError when it is anything but one allowed expression over
    `columns`."""
    if not text or not text.strip():
        return None
    if "\x00" in text:
        raise WhereError("a NUL character is not allowed")
    if len(text) > MAX_CHARS:
        raise WhereError(f"longer than {MAX_CHARS:,} characters")
    try:
        stmts = parse_sql(_PREFIX + text)
    except ParseError as e:
        raise WhereError(_syntax(e)) from None
    if len(stmts) != 1:
        raise WhereError("one expression only, not several statements")
    stmt = stmts[0].stmt
    cond = getattr(stmt, "whereClause", None)
    if (not isinstance(stmt, ast.SelectStmt) or cond is None
            or stmt.op != SetOperation.SETOP_NONE or _skeleton(stmt) != _SKELETON):
        raise WhereError("one expression only: no UNION, ORDER BY, LIMIT, GROUP BY, "
                         "FOR UPDATE or other clauses")
    _Check(frozenset(columns)).node(cond)
    out = str(RawStream()(cond))
    # Belt and braces: what runs is one statement whose condition is what was checked.
    again = parse_sql(f"{_PREFIX}({out})")
    if len(again) != 1:
        raise WhereError("one expression only")
    return out


def _syntax(e: ParseError) -> str:
    msg = str(e.args[0]) if e.args else "syntax error"
    if len(e.args) > 1 and isinstance(e.args[1], int):
        pos = max(e.args[1] - len(_PREFIX), 0)
        return f"{msg} (character {pos + 1})"
    return msg


def _skeleton(stmt: ast.SelectStmt) -> str:
    """The statement without its WHERE (taken off this parse tree), printed: must be
    exactly _SKELETON."""
    stmt.whereClause = None
    try:
        return str(RawStream()(stmt))
    except Exception:  # pglast cannot print it: not our skeleton
        return ""


class _Check:
    def __init__(self, columns: frozenset[str]) -> None:
        self.columns = columns

    def nodes(self, items: Iterable[Any] | None) -> None:
        for n in items or ():
            self.node(n)

    def node(self, n: Any) -> None:  # one branch per allowed node type
        if n is None:
            return
        if isinstance(n, tuple | list):
            self.nodes(n)
        elif isinstance(n, ast.A_Const):
            return
        elif isinstance(n, ast.ColumnRef):
            self.column(n)
        elif isinstance(n, ast.A_Expr):
            self.operator(n)
        elif isinstance(n, ast.BoolExpr):
            self.nodes(n.args)
        elif isinstance(n, ast.NullTest | ast.BooleanTest):
            self.node(n.arg)
        elif isinstance(n, ast.TypeCast):
            self.cast(n)
        elif isinstance(n, ast.FuncCall):
            self.function(n)
        elif isinstance(n, ast.CaseExpr):
            self.node(n.arg)
            self.nodes(n.args)
            self.node(n.defresult)
        elif isinstance(n, ast.CaseWhen):
            self.node(n.expr)
            self.node(n.result)
        elif isinstance(n, ast.CoalesceExpr | ast.MinMaxExpr):
            self.nodes(n.args)
        elif isinstance(n, ast.A_ArrayExpr):
            self.nodes(n.elements)
        elif isinstance(n, ast.SQLValueFunction):
            if n.op not in _DATE_KEYWORDS:
                raise WhereError(f"{_name_of_svf(n)} is not allowed; only columns of "
                                 "bi.observation, constants and date keywords")
        elif isinstance(n, ast.SubLink):
            raise WhereError("subqueries are not allowed: one expression over "
                             "bi.observation's columns")
        elif isinstance(n, ast.ParamRef):
            raise WhereError("parameters ($1) are not allowed")
        else:
            raise WhereError(f"{_describe(n)} is not allowed in a filter")

    def column(self, n: ast.ColumnRef) -> None:
        fields = n.fields or ()
        if len(fields) != 1 or not isinstance(fields[0], ast.String):
            raise WhereError("write bi.observation's column names alone "
                             "(no table, no *)")
        name = fields[0].sval
        if name not in self.columns:
            raise WhereError(f"no column {name!r} in bi.observation")

    def operator(self, n: ast.A_Expr) -> None:
        if n.kind is None or n.kind not in _KINDS:
            raise WhereError(f"{getattr(n.kind, 'name', '?')} is not allowed in a filter")
        names = _names(n.name)
        if n.kind not in _RANGE_KINDS and (len(names) != 1 or names[0] not in OPERATORS):
            shown = ".".join(names) or "?"
            raise WhereError(f"operator {shown} is not allowed (allowed: "
                             f"{' '.join(sorted(OPERATORS))})")
        self.node(n.lexpr)
        self.node(n.rexpr)

    def cast(self, n: ast.TypeCast) -> None:
        tn = n.typeName
        if tn is None:
            raise WhereError("a cast without a type")
        names = _names(tn.names)
        if (not names or names[-1] not in TYPES or len(names) > 2
                or (len(names) == 2 and names[0] != "pg_catalog") or tn.setof
                or tn.pct_type):
            raise WhereError(f"a cast to {'.'.join(names) or '?'} is not allowed (allowed: "
                             f"{', '.join(sorted(TYPES))})")
        self.nodes(tn.typmods)
        self.node(n.arg)

    def function(self, n: ast.FuncCall) -> None:
        names = _names(n.funcname)
        name = names[-1] if names else "?"
        if (len(names) not in (1, 2) or (len(names) == 2 and names[0] != "pg_catalog")
                or name not in FUNCTIONS):
            raise WhereError(f"function {'.'.join(names) or '?'}() is not allowed in a "
                             "filter (docs/ANALYSTS.md lists those that are)")
        if (n.agg_order or n.agg_filter or n.over or n.agg_star or n.agg_distinct
                or n.agg_within_group or n.func_variadic):
            raise WhereError(f"{name}(): aggregates, windows and VARIADIC are not allowed")
        for a in n.args or ():
            if isinstance(a, ast.NamedArgExpr):
                raise WhereError(f"{name}(): named arguments are not allowed")
            self.node(a)


def _describe(n: Any) -> str:
    return {
        "CollateClause": "COLLATE", "RowExpr": "a row constructor",
        "A_Indirection": "a subscript or field selection", "XmlExpr": "XML",
        "GroupingFunc": "GROUPING", "CurrentOfExpr": "CURRENT OF",
    }.get(type(n).__name__, type(n).__name__)


def _name_of_svf(n: ast.SQLValueFunction) -> str:
    return getattr(n.op, "name", "?").removeprefix("SVFOP_")


def _names(items: Iterable[Any] | None) -> list[str]:
    """The parts of a qualified name (`pg_catalog.lower` → ["pg_catalog", "lower"])."""
    return [str(s.sval) for s in items or () if isinstance(s, ast.String)]
