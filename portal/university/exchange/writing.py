"""Writing the exchange files (an export): the manifest and one JSON or CSV file per kind."""
import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .schema import FORMAT_NAME, FORMAT_VERSION, KINDS, LIST_SEPARATOR, MANIFEST, csv_columns, names_fields


def write_dataset(root, records_by_kind, fmt="json", extra_manifest=None):
    """Write each kind's records (RECORD instances) and the manifest into `root`."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    files = {}
    for kind, records in records_by_kind.items():
        name = f"{kind}.{fmt}"
        path = root / name
        if fmt == "json":
            path.write_text(_to_json([_plain(r.model_dump()) for r in records]), encoding="utf-8")
        else:
            path.write_text(_to_csv(KINDS[kind], records), encoding="utf-8", newline="")
        files[kind] = name
    manifest = {"format": FORMAT_NAME, "version": FORMAT_VERSION, **(extra_manifest or {}), "files": files}
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _to_json(items):
    # One object per line: small diffs between two exports, and line numbers that mean something.
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


def _to_csv(record_type, records):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_columns(record_type))
    names = names_fields(record_type)
    for record in records:
        cells = []
        for field, value in _plain(record.model_dump()).items():
            if field in names:
                cells += [(value or {}).get("pl") or "", (value or {}).get("en") or ""]
            elif isinstance(value, list):
                cells.append(LIST_SEPARATOR.join(value))
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return out.getvalue()
