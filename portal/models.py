"""Imports every model so that Alembic and `db.create_all` see all tables."""
import importlib
import pkgutil
from pathlib import Path

from .auth.models import User  # noqa: F401
from .university.models import *  # noqa: F401,F403

_here = Path(__file__).parent
for _info in pkgutil.iter_modules([str(_here)]):
    if _info.ispkg and (_here / _info.name / "models.py").exists():
        importlib.import_module(f"portal.{_info.name}.models")
    elif _info.ispkg and (_here / _info.name / "models" / "__init__.py").exists():
        importlib.import_module(f"portal.{_info.name}.models")
