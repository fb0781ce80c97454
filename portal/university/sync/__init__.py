"""`flask university sync`: read a USOS API installation and apply it exactly like an import.

The installation's answers become the same records a file import reads, go through the same
checks (each problem named by the method and object it came from), the same dry run and the
same single transaction; a second sync with nothing changed at the source changes nothing.
"""
from ..exchange import Dataset, run_import
from ..exchange.files import validate_items
from ..exchange.schema import FORMAT_NAME, FORMAT_VERSION, KINDS
from .client import UsosClient, UsosError
from .read import Reader


def keep_local_roles(dataset, state):
    """Administrators are made in Indeks, not at the source: a sync keeps the role."""
    for row in dataset.rows.get("people", []):
        stored = state.people.match(row.record)
        if stored is not None and stored.is_admin and "admin" not in row.record.roles:
            row.record.roles.append("admin")


def sync_from(url, consumer_key, consumer_secret, term_ids=(), all_terms=False, faculty=None,
              dry_run=False, echo=lambda text: None):
    """(Report, calls made) of syncing from the installation at `url`; raises UsosError when it
    cannot be read, ImportRefused when what it holds does not pass the checks."""
    client = UsosClient(url, consumer_key, consumer_secret)
    items = Reader(client, echo).read(term_ids=term_ids, all_terms=all_terms, faculty=faculty)
    problems, broken, rows = [], {}, {}
    for kind in KINDS:
        if kind in items:
            rows[kind] = validate_items(kind, items[kind], problems, broken)
    dataset = Dataset(rows=rows, manifest={"format": FORMAT_NAME, "version": FORMAT_VERSION, "source": url},
                      broken=broken)
    return run_import(dataset, dry_run=dry_run, problems=problems, adjust=keep_local_roles), client.calls


__all__ = ["UsosError", "sync_from"]
