"""CSV export and import of a session's grades; import previews before it applies.

An import is read whole or refused with a message: a file over MAX_BYTES, with more than
MAX_ROWS rows or MAX_COLUMNS columns, a field over MAX_FIELD characters, or text that is
not UTF-8 CSV is never cut short or half-read (a session has at most a few hundred rows).
"""
import csv
import io
import itertools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from .. import clock
from ..errors import ServiceError
from ..langdict import ld
from . import services

MAX_BYTES = 256 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 20
MAX_FIELD = 2000

COLUMNS = ["student_id", "student_number", "last_name", "first_name", "group", "grade", "comment",
           "private_comment", "date_acquisition", "date_modified"]


def export(grid):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in grid.rows:
        g = row.grade
        writer.writerow([row.student.id, row.student.student_number or "", row.student.last_name,
                         row.student.first_name, row.group_label, row.symbol, (g.comment or "") if g else "",
                         (g.private_comment or "") if g else "", clock.fmt_date(g.date_acquisition) if g else "",
                         clock.fmt_datetime(g.date_modified) if g else ""])
    return out.getvalue()


@dataclass
class PreviewRow:
    student: object
    current: str
    new: str
    comment: Optional[str]
    status: str          # change, unchanged, stale, invalid, forbidden, unknown
    message: str = ""
    expected: object = None
    date_acquisition: object = None
    private_comment: Optional[str] = None

    @property
    def applies(self):
        return self.status == "change"


def _parse_stamp(text):
    text = (text or "").strip()
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def _parse_date(text):
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _refused(message, pl, en):
    return ServiceError("param_invalid", message, user_message=ld(pl, en))


def too_large():
    return _refused("File too large.", f"Plik jest większy niż {MAX_BYTES // 1024} KB; nic nie zaimportowano.",
                    f"The file is larger than {MAX_BYTES // 1024} KB; nothing was imported.")


def decode(raw):
    """The text of an uploaded file read with `read(MAX_BYTES + 1)`: refused when over the limit."""
    if len(raw) > MAX_BYTES:
        raise too_large()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refused("Not UTF-8.", "Plik nie jest tekstem w UTF-8.", "The file is not UTF-8 text.") from None


def _records(content):
    """The rows of `content` as dicts, or a ServiceError naming the limit or the defect."""
    if len(content.encode("utf-8")) > MAX_BYTES:
        raise too_large()
    try:
        if "\x00" in content:
            raise csv.Error("NUL in a text file")
        reader = csv.reader(io.StringIO(content.lstrip("\ufeff")), strict=True)
        header = next(reader, None)
        if not header or "student_id" not in header or "grade" not in header:
            raise _refused("Missing columns.", "Plik nie ma kolumn student_id i grade (użyj eksportu).",
                           "The file lacks the student_id and grade columns (use the export).")
        records = []
        for number, line in enumerate(itertools.chain([header], reader), start=1):
            if len(line) > MAX_COLUMNS:
                raise _refused("Too many columns.", f"Plik ma więcej niż {MAX_COLUMNS} kolumn.",
                               f"The file has more than {MAX_COLUMNS} columns.")
            if any(len(value) > MAX_FIELD for value in line):
                raise _refused("Field too long.", f"Wiersz {number}: pole dłuższe niż {MAX_FIELD} znaków.",
                               f"Row {number}: a field is longer than {MAX_FIELD} characters.")
            if number > MAX_ROWS + 1:
                raise _refused("Too many rows.", f"Plik ma więcej niż {MAX_ROWS} wierszy.",
                               f"The file has more than {MAX_ROWS} rows.")
            if number > 1:
                records.append(dict(zip(header, line)))
    except csv.Error as error:
        raise _refused(str(error), "To nie jest poprawny plik CSV.", "This is not a valid CSV file.") from None
    return records


def preview(grid, content):
    """What applying `content` would do, row by row, without changing anything."""
    records = _records(content)
    rows_by_id = {str(r.student.id): r for r in grid.rows}
    result = []
    for record in records:
        sid = (record.get("student_id") or "").strip()
        row = rows_by_id.get(sid)
        new = (record.get("grade") or "").strip()
        if row is None:
            result.append(PreviewRow(None, "", new, None, "unknown", f"{sid}"))
            continue
        item = PreviewRow(row.student, row.symbol, new, (record.get("comment") or "").strip() or None, "unchanged")
        item.private_comment = (record.get("private_comment") or "").strip() or None
        try:
            item.expected = _parse_stamp(record.get("date_modified"))
            item.date_acquisition = _parse_date(record.get("date_acquisition"))
        except ValueError:
            item.status, item.message = "invalid", "date"
            result.append(item)
            continue
        value = grid.report.grade_type.value_for(new) if new else None
        g = row.grade
        current_stamp = g.date_modified if g else None
        if new and value is None:
            item.status = "invalid"
        elif not row.writable:
            item.status = "forbidden"
        elif current_stamp != item.expected:
            item.status = "stale"
        elif ((value.symbol if value else "") != row.symbol or item.comment != (g.comment if g else None)
              or item.private_comment != (g.private_comment if g else None)
              or item.date_acquisition != (g.date_acquisition if g else None)):
            item.status = "change"
        if value is not None:
            item.new = value.symbol
        result.append(item)
    return result


def apply(actor, grid, rows):
    """Apply every previewed change in one transaction; any refusal undoes them all (raised)."""
    done = 0
    for item in rows:
        if not item.applies:
            continue
        services.update_grade(actor, grid.report.id, grid.session.number, item.student.id, value=item.new,
                              comment=item.comment or "", private_comment=item.private_comment or "",
                              date_acquisition=item.date_acquisition, expected=item.expected)
        done += 1
    return done
