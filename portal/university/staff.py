"""Employment of staff members: positions (with their employment groups) and functions."""
from ..extensions import db
from ..langdict import LangDictType


class EmploymentGroup(db.Model):
    """A group of positions, e.g. academic teachers or administrative staff."""
    __tablename__ = "employment_groups"

    id = db.Column(db.String(32), primary_key=True)
    name = db.Column(LangDictType, nullable=False)
    university_teachers = db.Column(db.Boolean, nullable=False, default=False)


class Position(db.Model):
    """An employment position, e.g. assistant professor."""
    __tablename__ = "positions"

    id = db.Column(db.String(32), primary_key=True)
    name = db.Column(LangDictType, nullable=False)
    employment_group_id = db.Column(db.String(32), db.ForeignKey("employment_groups.id"))
    employment_group = db.relationship("EmploymentGroup")


class EmploymentPosition(db.Model):
    """A person holding a position at a faculty."""
    __tablename__ = "employment_positions"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    position_id = db.Column(db.String(32), db.ForeignKey("positions.id"), nullable=False)
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False)
    position = db.relationship("Position")
    faculty = db.relationship("Faculty")


class EmploymentFunction(db.Model):
    """A function a person holds at a faculty, e.g. vice-dean for student affairs."""
    __tablename__ = "employment_functions"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    function = db.Column(LangDictType, nullable=False)
    faculty_id = db.Column(db.String(32), db.ForeignKey("faculties.id"), nullable=False)
    is_official = db.Column(db.Boolean, nullable=False, default=True)
    faculty = db.relationship("Faculty")
