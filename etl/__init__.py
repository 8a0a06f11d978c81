"""parkstat ETL: report files in, typed indicator records out (see ../shared/spec/RECORDS.md)."""

__version__ = "0.1.0"
