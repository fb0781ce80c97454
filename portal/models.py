"""Imports every model so that Alembic and `db.create_all` see all tables."""
import importlib
import pkgutil
from pathlib import Path

from . import pagecache  # noqa: F401  (page_versions)
from .auth.models import User  # noqa: F401
from .university.models import *  # noqa: F401,F403

_here = Path(__file__).parent
for _info in pkgutil.iter_modules([str(_here)]):
    if _info.ispkg and (_here / _info.name / "models.py").exists():
        importlib.import_module(f"portal.{_info.name}.models")
    elif _info.ispkg and (_here / _info.name / "models" / "__init__.py").exists():
        importlib.import_module(f"portal.{_info.name}.models")


def _ids_never_reused(metadata):
    """SQLite gives a new row the largest rowid + 1 unless the table says AUTOINCREMENT, so the
    id of a deleted newest row would go to the next one (a client holding it would then act on
    another object). Every table with an integer id of its own says it (migration 0009 for
    databases made before); PostgreSQL's sequences never go back anyway."""
    for table in metadata.tables.values():
        if table.autoincrement_column is not None:
            table.dialect_options["sqlite"]["autoincrement"] = True


_ids_never_reused(User.metadata)
