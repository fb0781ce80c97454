"""CSV export and import of a session's grades; import previews before it applies."""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from .. import clock
from ..errors import ServiceError
from ..langdict import ld
from . import services

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


def preview(grid, content):
    """What applying `content` would do, row by row, without changing anything."""
    try:
        reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
        if not reader.fieldnames or "student_id" not in reader.fieldnames or "grade" not in reader.fieldnames:
            raise ServiceError("param_invalid", "Missing columns.", user_message=ld(
                "Plik nie ma kolumn student_id i grade (użyj eksportu).",
                "The file lacks the student_id and grade columns (use the export)."))
        records = list(reader)
    except csv.Error as error:
        raise ServiceError("param_invalid", str(error), user_message=ld("To nie jest poprawny plik CSV.",
                                                                         "This is not a valid CSV file.")) from None
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
