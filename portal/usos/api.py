"""Every declaration of the package (found by portal.api.load_methods)."""
from . import calendar, courses, fac, groups, progs, terms, tt, users  # noqa: F401  (each declares its methods)
