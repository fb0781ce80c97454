"""Reference data every installation needs: grading scales and class types."""
from decimal import Decimal

from ..extensions import db
from ..langdict import ld
from .models import ClassType, GradeType, GradeValue

GRADE_TYPES = {
    "PL": (ld("Skala ocen 2-5", "Grades 2-5"), [
        ("2", ld("niedostateczny", "fail"), False, "2.0"),
        ("3", ld("dostateczny", "satisfactory"), True, "3.0"),
        ("3,5", ld("dostateczny plus", "satisfactory plus"), True, "3.5"),
        ("4", ld("dobry", "good"), True, "4.0"),
        ("4,5", ld("dobry plus", "good plus"), True, "4.5"),
        ("5", ld("bardzo dobry", "very good"), True, "5.0"),
    ]),
    "ZAL": (ld("Zaliczenie", "Pass/fail"), [
        ("NZAL", ld("nie zaliczył", "fail"), False, None),
        ("ZAL", ld("zaliczył", "pass"), True, None),
    ]),
}

CLASS_TYPES = {
    "WYK": ld("Wykład", "Lecture"),
    "CW": ld("Ćwiczenia", "Classes"),
    "LAB": ld("Laboratorium", "Laboratory"),
    "SEM": ld("Seminarium", "Seminar"),
}


def ensure_reference_data():
    """Create the grade types and class types that are missing; idempotent."""
    for type_id, (name, values) in GRADE_TYPES.items():
        if db.session.get(GradeType, type_id) is None:
            grade_type = GradeType(id=type_id, name=name)
            db.session.add(grade_type)
            for order, (symbol, vname, passes, dec) in enumerate(values, start=1):
                db.session.add(GradeValue(grade_type=grade_type, symbol=symbol, name=vname,
                                          passes=passes, order_key=order,
                                          decimal_value=Decimal(dec) if dec else None))
    for type_id, name in CLASS_TYPES.items():
        if db.session.get(ClassType, type_id) is None:
            db.session.add(ClassType(id=type_id, name=name))
    db.session.flush()
