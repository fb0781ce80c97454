"""The USOS modules around the five of Indeks, answered from the university's own data:
users, terms, courses, groups, timetable (tt), study programmes (progs), faculties, rooms."""
