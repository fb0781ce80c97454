"""`flask university import|export|sync`: bring a university's structure and people in and out."""
import click
from flask.cli import AppGroup

university_cli = AppGroup("university", help="Import, export and sync the university's structure and people.")


def _print_report(report, details):
    for line in report.summary_lines():
        click.echo(line)
    if details:
        for line in report.detail_lines():
            click.echo(line)


def _refuse(err):
    for problem in err.problems:
        click.echo(str(problem), err=True)
    raise click.ClickException(f"Nothing was imported: {len(err.problems)} problem(s) to fix.")


@university_cli.command("import")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and show what would change; write nothing.")
@click.option("--details/--no-details", default=None, help="List each change (default: on for --dry-run).")
def import_command(path, dry_run, details):
    """Import the university from the directory PATH (a manifest and one file per kind)."""
    from .exchange import ImportRefused, import_directory
    try:
        report = import_directory(path, dry_run=dry_run)
    except ImportRefused as err:
        _refuse(err)
    _finish(report, dry_run, details)


def _finish(report, dry_run, details):
    _print_report(report, dry_run if details is None else details)
    click.echo(("Dry run: nothing written. " if dry_run else "Applied. ")
               + f"{report.changes} change(s)." if report.changes else "Nothing to change.")


@university_cli.command("sync")
@click.option("--from", "url", required=True, metavar="URL", help="The USOS API installation, e.g. https://usos.example.edu.pl/")
@click.option("--consumer-key", required=True, envvar="USOS_CONSUMER_KEY", help="An administrative consumer there.")
@click.option("--consumer-secret", required=True, envvar="USOS_CONSUMER_SECRET")
@click.option("--term", "terms", multiple=True, metavar="ID", help="A term to sync (repeatable); default: the active ones.")
@click.option("--all-terms", is_flag=True, help="Every term the installation has.")
@click.option("--faculty", metavar="ID", help="Only the courses of this faculty and its sub-units.")
@click.option("--dry-run", is_flag=True, help="Read and check, show what would change; write nothing.")
@click.option("--details/--no-details", default=None, help="List each change (default: on for --dry-run).")
def sync_command(url, consumer_key, consumer_secret, terms, all_terms, faculty, dry_run, details):
    """Read the university from a USOS API installation and apply it like an import."""
    from .exchange import ImportRefused
    from .sync import UsosError, sync_from
    try:
        report, calls = sync_from(url, consumer_key, consumer_secret, term_ids=terms, all_terms=all_terms,
                                  faculty=faculty, dry_run=dry_run, echo=click.echo)
    except UsosError as err:
        raise click.ClickException(f"Nothing was synced: {err}")
    except ImportRefused as err:
        _refuse(err)
    click.echo(f"{calls} calls to {url}.")
    _finish(report, dry_run, details)


@university_cli.command("export")
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
def export_command(path, fmt):
    """Write the university into the directory PATH in the import format."""
    from .exchange import export_directory
    counts = export_directory(path, fmt=fmt)
    for kind, n in counts.items():
        click.echo(f"{kind}: {n}")
    click.echo(f"Exported to {path}.")


@university_cli.command("copy-database")
@click.option("--to", "target", required=True, metavar="URL",
              help="The empty, migrated database to copy into, e.g. postgresql://indeks@db/indeks")
def copy_database_command(target):
    """Copy every table of this database (DATABASE_URL) into an empty one."""
    from .copydb import CopyRefused, copy_database
    try:
        copy_database(target, echo=click.echo)
    except CopyRefused as err:
        raise click.ClickException(f"Nothing was copied: {err}.")
    click.echo("Copied.")
