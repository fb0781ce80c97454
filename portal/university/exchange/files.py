"""Reading the exchange files: a manifest and one JSON or CSV file per kind (writing.py writes them).

Every problem found on the way is kept with its file, line and field, so that an operator
gets the whole list at once instead of fixing one error per run.
"""
import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .schema import FORMAT_NAME, FORMAT_VERSION, KINDS, MANIFEST, Names, csv_columns, names_fields
SUFFIXES = (".json", ".csv")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self):
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Row:
    """One valid record and where it came from (a file and line, or a USOS method and object)."""
    file: str
    line: int | None
    record: BaseModel


@dataclass
class Dataset:
    rows: dict            # kind -> [Row], only the kinds that were given
    manifest: dict
    # Keys of rows that failed their own checks, as text: references to them are not reported
    # again as missing. None for a kind with a broken row whose key itself is unreadable.
    broken: dict = field(default_factory=dict)

    def is_broken(self, kind, key):
        if kind not in self.broken:
            return False
        keys = self.broken[kind]
        return keys is None or text_key(key) in keys

    def records(self, kind):
        return [row.record for row in self.rows.get(kind, [])]


def text_key(key):
    return tuple(str(k) for k in key) if isinstance(key, tuple) else (str(key),)


def read_dataset(root):
    """(Dataset, [Problem]) of the directory `root`."""
    root = Path(root)
    problems = []
    manifest = _read_manifest(root, problems)
    rows, broken = {}, {}
    if manifest is not None:
        for kind, path in _kind_files(root, manifest, problems).items():
            rows[kind] = _read_kind(kind, path, problems, broken)
    return Dataset(rows=rows, manifest=manifest or {}, broken=broken), problems


def _read_manifest(root, problems):
    path = root / MANIFEST
    if not root.is_dir():
        problems.append(Problem(str(root), None, None, "not a directory"))
        return None
    if not path.is_file():
        problems.append(Problem(MANIFEST, None, None, "missing: every import starts with a manifest"))
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        problems.append(Problem(MANIFEST, getattr(err, "lineno", None), None, f"not valid JSON: {err}"))
        return None
    if not isinstance(manifest, dict):
        problems.append(Problem(MANIFEST, 1, None, "must be a JSON object"))
        return None
    if manifest.get("format") != FORMAT_NAME:
        problems.append(Problem(MANIFEST, None, "format", f"must be {FORMAT_NAME!r}"))
    if manifest.get("version") != FORMAT_VERSION:
        problems.append(Problem(MANIFEST, None, "version",
                                f"{manifest.get('version')!r} is not supported (this Indeks reads version {FORMAT_VERSION})"))
    return manifest


def _kind_files(root, manifest, problems):
    """kind -> path: those the manifest names under "files", else <kind>.json or <kind>.csv."""
    named = manifest.get("files")
    found = {}
    if named is not None:
        if not isinstance(named, dict):
            problems.append(Problem(MANIFEST, None, "files", "must map kinds to file names"))
            return {}
        for kind, name in named.items():
            if kind not in KINDS:
                problems.append(Problem(MANIFEST, None, f"files.{kind}",
                                        f"unknown kind (known: {', '.join(KINDS)})"))
            elif not isinstance(name, str) or Path(name).suffix not in SUFFIXES or Path(name).name != name:
                problems.append(Problem(MANIFEST, None, f"files.{kind}", "must be a .json or .csv file name in this directory"))
            elif not (root / name).is_file():
                problems.append(Problem(MANIFEST, None, f"files.{kind}", f"{name} does not exist"))
            else:
                found[kind] = root / name
        return found
    for kind in KINDS:
        candidates = [root / f"{kind}{suffix}" for suffix in SUFFIXES if (root / f"{kind}{suffix}").is_file()]
        if len(candidates) > 1:
            problems.append(Problem(candidates[1].name, None, None, f"both {kind}.json and {kind}.csv: give one"))
        elif candidates:
            found[kind] = candidates[0]
    return found


def _read_kind(kind, path, problems, broken):
    record_type = KINDS[kind]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        problems.append(Problem(path.name, None, None, f"not UTF-8: {err}"))
        broken[kind] = None
        return []
    before = len(problems)
    raw = _json_items(path.name, text, problems) if path.suffix == ".json" else \
        _csv_items(path.name, text, record_type, problems)
    if len(problems) > before:
        broken[kind] = None  # the file itself is broken: any of its rows may be missing
    return validate_items(kind, [(path.name, line, data) for line, data in raw], problems, broken)


def validate_items(kind, items, problems, broken):
    """[Row] of the valid (file, line, data) items of `kind`; a Problem for each fault of the others.

    Files and the USOS sync both come through here, so both are checked the same way."""
    record_type = KINDS[kind]
    rows = []
    for file, line, data in items:
        try:
            rows.append(Row(file, line, record_type.model_validate(data)))
        except ValidationError as err:
            key = tuple(str(data.get(name)).strip() for name in record_type.KEY)
            if kind in broken and broken[kind] is None or any(k in ("None", "") for k in key):
                broken[kind] = None
            else:
                broken.setdefault(kind, set()).add(key)
            for error in err.errors():
                problems.append(Problem(file, line, _loc(error["loc"]), _message(error)))
    return rows


def _loc(loc):
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


def _message(error):
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] not in ("missing", "extra_forbidden") and not isinstance(error.get("input"), (dict, list)):
        message += f" (got {error.get('input')!r})"
    return message


def _json_items(name, text, problems):
    """(line, object) of each element of a JSON array; the line is where the element starts."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    try:
        items = decoder.decode(text)
    except (ValueError, RecursionError) as err:  # RecursionError: nested deeper than the decoder goes
        problems.append(Problem(name, getattr(err, "lineno", None), None, f"not valid JSON: {err}"))
        return []
    if not isinstance(items, list):
        problems.append(Problem(name, 1, None, "must be a JSON array of objects"))
        return []
    result, index = [], text.index("[") + 1
    for item in items:
        while text[index] in " \t\r\n,":
            index += 1
        line = text.count("\n", 0, index) + 1
        _obj, index = decoder.raw_decode(text, index)
        if isinstance(item, dict):
            result.append((line, item))
        else:
            problems.append(Problem(name, line, None, "must be a JSON object"))
    return result


def _csv_items(name, text, record_type, problems):
    """(line, dict) of each CSV row, NAME_pl/NAME_en folded into NAME; empty cells are null."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        problems.append(Problem(name, 1, None, "empty file: the first line names the columns"))
        return []
    header = [column.strip() for column in header]
    known = csv_columns(record_type)
    unknown = [column for column in header if column not in known]
    for column in unknown:
        problems.append(Problem(name, 1, column, f"unknown column (known: {', '.join(known)})"))
    for column in {c for c in header if header.count(c) > 1}:
        problems.append(Problem(name, 1, column, "column given twice"))
    if unknown or len(set(header)) != len(header):
        return []
    names = names_fields(record_type)
    result, line = [], reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, start, None, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        row = {}
        for column, cell in zip(header, cells):
            value = cell.strip() or None
            base, _, lang = column.rpartition("_")
            if base in names and lang in ("pl", "en"):
                row.setdefault(base, {})[lang] = value
            else:
                row[column] = value
        for base in names:  # both languages empty: no name at all (null)
            if base in row and not any(row[base].values()):
                row[base] = None
        result.append((start, row))
    return result


__all__ = ["Dataset", "Names", "Problem", "Row", "read_dataset", "validate_items"]
