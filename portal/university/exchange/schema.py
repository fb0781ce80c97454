"""Records of the university exchange format, version 1: one model per kind of file.

Every kind is keyed on the institution's own identifiers, so importing the same files again
finds the same rows. Pydantic does the per-record checks (types, lengths, required fields,
unknown fields); `checks.py` does those that span records and the database.
"""
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, NaiveDatetime,
                      StringConstraints, model_validator)

from ..programmes import LEVELS, STATUSES

FORMAT_NAME = "indeks-university"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
LIST_SEPARATOR = "|"  # list cells in CSV: "u1|u2|u3" (the USOS API's own list separator)


def Key(max_length):
    """An identifier: no surrounding blanks, no list separator."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=max_length, pattern=r"^[^|]+$")]


def Text(max_length):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            max_length=max_length)]


def _split(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    return value


PersonKey = Key(64)
PersonKeys = Annotated[list[PersonKey], BeforeValidator(_split)]
Roles = Annotated[list[Literal["student", "lecturer", "admin"]], BeforeValidator(_split)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200,
                                         pattern=r"^[^@\s]+@[^@\s]+$")]


class Names(BaseModel):
    """A name in Polish and English; either may be missing, then the other stands in."""
    model_config = ConfigDict(extra="forbid")
    pl: Text(500) | None = None
    en: Text(500) | None = None

    @model_validator(mode="after")
    def _one_language(self):
        if not (self.pl or self.en):
            raise ValueError("a name in Polish or English is required")
        return self

    def langdict(self):
        return {"pl": self.pl or self.en, "en": self.en or self.pl}


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    KIND: ClassVar[str]
    KEY: ClassVar[tuple[str, ...]]

    def key(self):
        values = tuple(getattr(self, name) for name in self.KEY)
        return values[0] if len(values) == 1 else values


class FacultyRecord(Record):
    KIND, KEY = "faculties", ("id",)
    id: Key(32)
    name: Names
    parent: Key(32) | None = None


class TermRecord(Record):
    KIND, KEY = "terms", ("id",)
    id: Key(20)
    name: Names
    start_date: date
    end_date: date
    finish_date: date | None = None  # last day to settle the term; the end date when missing
    order_key: int | None = Field(None, ge=0, le=2**31 - 1)  # the start date's day number when missing
    is_active: bool = True

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        if self.finish_date is not None and self.finish_date < self.end_date:
            raise ValueError("finish_date is before end_date")
        return self


class ClassTypeRecord(Record):
    KIND, KEY = "class_types", ("id",)
    id: Key(8)
    name: Names


class BuildingRecord(Record):
    KIND, KEY = "buildings", ("id",)
    id: Key(32)
    name: Names


class RoomRecord(Record):
    KIND, KEY = "rooms", ("building", "number")
    building: Key(32)
    number: Key(32)
    capacity: int | None = Field(None, ge=0, le=100_000)


class PersonRecord(Record):
    KIND, KEY = "people", ("id",)
    id: PersonKey                       # the institution's person id
    login: Key(64) | None = None        # for signing in; the id when missing
    first_name: Text(100)
    last_name: Text(100)
    email: Email | None = None
    student_number: Key(32) | None = None
    titles_before: Text(100) | None = None
    titles_after: Text(100) | None = None
    roles: Roles = []
    faculty: Key(32) | None = None

    @property
    def effective_login(self):
        return self.login or self.id


class ProgrammeRecord(Record):
    """A study programme the university runs."""
    KIND, KEY = "programmes", ("id",)
    id: Key(32)
    name: Names
    faculty: Key(32)
    level: Literal[LEVELS] | None = None
    level_of_studies: Names | None = None      # the university's own wording of the level
    mode_of_studies: Names | None = None       # e.g. full-time
    duration: Names | None = None              # e.g. 3 years
    professional_status: Names | None = None   # the title it leads to


class StudentProgrammeRecord(Record):
    """A person on a programme; leaving it is a status (cancelled, graduated_...), not a deletion."""
    KIND, KEY = "student_programmes", ("person", "programme")
    person: PersonKey
    programme: Key(32)
    status: Literal[STATUSES] = "active"
    admission_date: date | None = None
    is_primary: bool = True


Credits = Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=2)]


class CourseRecord(Record):
    KIND, KEY = "courses", ("id",)
    id: Key(32)
    name: Names
    faculty: Key(32)
    lang: Key(8) | None = "pl"
    ects: Credits | None = None


class EditionRecord(Record):
    KIND, KEY = "editions", ("course", "term")
    course: Key(32)
    term: Key(20)
    coordinators: PersonKeys = []
    ects: Credits | None = None  # when this edition's credits differ from the course's


class GroupRecord(Record):
    """A class group of a course unit; the unit (course, term, class type) is made when missing."""
    KIND, KEY = "groups", ("course", "term", "class_type", "number")
    course: Key(32)
    term: Key(20)
    class_type: Key(8)
    number: int = Field(ge=1, le=100_000)
    lecturers: PersonKeys = []
    participants: PersonKeys = []


class MeetingRecord(Record):
    """One timetable meeting of a group, in the institution's local time."""
    KIND, KEY = "timetable", ("course", "term", "class_type", "group", "start")
    course: Key(32)
    term: Key(20)
    class_type: Key(8)
    group: int = Field(ge=1, le=100_000)
    start: NaiveDatetime
    end: NaiveDatetime
    building: Key(32) | None = None
    room: Key(32) | None = None

    @model_validator(mode="after")
    def _sane(self):
        if self.end <= self.start:
            raise ValueError("end is not after start")
        if (self.building is None) != (self.room is None):
            raise ValueError("give both building and room, or neither")
        return self

    def group_key(self):
        return (self.course, self.term, self.class_type, self.group)

    def room_key(self):
        return (self.building, self.room) if self.building else None


# In the order they are applied: each kind refers only to kinds before it.
RECORDS = (FacultyRecord, TermRecord, ClassTypeRecord, BuildingRecord, RoomRecord,
           PersonRecord, ProgrammeRecord, StudentProgrammeRecord, CourseRecord, EditionRecord,
           GroupRecord, MeetingRecord)
KINDS = {record.KIND: record for record in RECORDS}


def names_fields(record):
    """The fields of a record that hold Names (CSV spells them NAME_pl and NAME_en)."""
    return [name for name, info in record.model_fields.items()
            if info.annotation is Names or info.annotation == (Names | None)]


def csv_columns(record):
    columns = []
    for name in record.model_fields:
        columns += [f"{name}_pl", f"{name}_en"] if name in names_fields(record) else [name]
    return columns
