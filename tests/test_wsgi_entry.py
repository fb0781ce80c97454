"""The WSGI entry point gunicorn serves (`app:app`): a worker's heap as it settles after loading."""
import subprocess
import sys

from .conftest import ROOT


def test_the_served_app_is_frozen_out_of_the_cyclic_collector(tmp_path):
    probe = "import gc, app; print(gc.get_freeze_count(), gc.get_threshold()[0], app.app.name)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=False, env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/entry.sqlite3",
                              "SECRET_KEY": "entry-test"})
    assert out.returncode == 0, out.stderr
    frozen, threshold, name = out.stdout.split()
    assert name == "portal"
    assert int(frozen) > 50_000  # the modules, mappers and app loaded before serving
    assert int(threshold) == 10_000
