"""Factories for attendance lists and entries, and a live-server starter for the attendance tests."""
import pytest
import requests

from portal import clock
from portal.attendance.models import AttendanceEntry, AttendanceList
from portal.extensions import db

from .factories import FactoryBase, at, in_app_context


class AttendanceFactory(FactoryBase):
    @in_app_context
    def list(self, group, owner, date=None, mode="intramural"):
        return self._save(AttendanceList(group_id=group.id, owner_id=owner.id, date=date or at(-1, 10),
                                         mode=mode, created_at=clock.now()))

    @in_app_context
    def entry(self, lst, student, mode="intramural", comment=None):
        return self._save(AttendanceEntry(list_id=lst.id, student_id=student.id, mode=mode, comment=comment,
                                          updated_at=clock.now()))

    @in_app_context
    def entries(self, list_id):
        """{student_id: (mode, comment)} as stored."""
        return {e.student_id: (e.mode, e.comment) for e in db.session.scalars(
            db.select(AttendanceEntry).filter_by(list_id=list_id))}

    @in_app_context
    def lists(self, group):
        return list(db.session.scalars(db.select(AttendanceList).filter_by(group_id=group.id)
                                       .order_by(AttendanceList.date)))


@pytest.fixture
def start(live_server):
    """`start(workers)`: a live server whose readiness probe may take longer than conftest's 1 s
    on a busy machine (a probe ReadTimeout there would fail the test and leave gunicorn running)."""
    def go(workers):
        real_get = requests.get
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(requests, "get", lambda url, timeout=None, **kw: real_get(url, timeout=30, **kw))
            return live_server(workers=workers)
    return go
