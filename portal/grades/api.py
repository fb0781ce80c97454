"""services/examrep2 and services/grades (and the older services/examrep objects)."""
from . import api_examrep, api_examrep2, api_grades  # noqa: F401
