"""Where the project's data lives; one place so that tests, CLI and migrations agree."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
SAMPLE_REPORTS_DIR = SEEDS_DIR / "reports"
