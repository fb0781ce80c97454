"""The university exchange format: import, export, and the sync that maps a USOS API into it.

`load_and_check(path)` reads and checks a directory, `run_import(dataset, dry_run)` applies it
in one write transaction, `export_records()` turns the database back into records.
"""
from ...database import write_transaction
from ..reference import ensure_reference_data
from .apply import apply_dataset
from .checks import check_dataset
from .export import export_manifest, export_records
from .files import Dataset, Problem, Row, read_dataset
from .writing import write_dataset
from .state import State


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run."""


class ImportRefused(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def run_import(dataset, dry_run=False, problems=(), adjust=None):
    """Check `dataset` against the database and apply it as one transaction; returns the Report.

    A dry run does exactly the same work and rolls it back, so what it reports is what an
    import would do. Raises ImportRefused (nothing written) when any check fails.
    """
    report = None
    try:
        with write_transaction():
            ensure_reference_data()  # grading scales every installation needs, whatever is imported
            state = State()
            if adjust is not None:
                adjust(dataset, state)  # a sync's own rule on what the stored rows keep
            problems = [*problems, *check_dataset(dataset, state)]
            if problems:
                raise ImportRefused(problems)
            report = apply_dataset(dataset, state)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def import_directory(path, dry_run=False):
    dataset, problems = read_dataset(path)
    if not dataset.manifest:
        raise ImportRefused(problems)
    return run_import(dataset, dry_run=dry_run, problems=problems)


def export_directory(path, fmt="json"):
    records = export_records()
    write_dataset(path, records, fmt=fmt, extra_manifest=export_manifest())
    return {kind: len(items) for kind, items in records.items()}


__all__ = ["Dataset", "ImportRefused", "Problem", "Row", "export_directory", "import_directory",
           "read_dataset", "run_import", "write_dataset"]
