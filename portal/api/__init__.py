"""The services/* JSON API: registry, dispatcher, OAuth 1.0a, apiref, reference objects."""
import importlib
import pkgutil
from pathlib import Path


def load_methods():
    """Import every declaration: the API's own and each feature package's `api.py`."""
    from . import reference  # noqa: F401
    root = Path(__file__).resolve().parent.parent
    for info in pkgutil.iter_modules([str(root)]):
        if info.ispkg and (root / info.name / "api.py").exists():
            importlib.import_module(f"portal.{info.name}.api")
    for extra in ("apiref", "apisrv"):
        if (Path(__file__).parent / f"{extra}.py").exists():
            importlib.import_module(f"portal.api.{extra}")


def init_app(app):
    from . import views
    load_methods()
    app.register_blueprint(views.bp)
    extra = Path(__file__).parent / "routes.py"
    if extra.exists():
        importlib.import_module("portal.api.routes").init_app(app)
