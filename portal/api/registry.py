"""The method registry: each services/* method is declared once, here or in a feature's api.py.

A declaration names the method's parameters, auth options, result fields and default
selector, and the function that computes it. The dispatcher (views.py), the field
selectors (selectors.py) and apiref all read the same declaration.

    USER = resource("services/users/user", {
        "id": F(lambda u, call: str(u.id)),
        "first_name": attr("first_name"),
        "faculty": F(lambda u, call: u.faculty, ref="services/fac/faculty", primary=False),
    })

    @method("services/users/user", resource=USER, default_fields="id|first_name|last_name",
            params=[P("user_id", type="id")], token="optional")
    def user(call):
        return load_user(call.params["user_id"])   # projected through USER
"""
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .. import clock
from ..langdict import pick  # noqa: F401  (re-exported for declarations)

METHODS: dict = {}
RESOURCES: dict = {}
MODULES: dict = {}
SCOPES: dict = {}


@dataclass
class P:
    """A parameter. `type`: str, id, ids, int, bool, list, date, datetime, json, choice."""
    name: str
    required: bool = False
    default: Any = None
    type: str = "str"
    description: str = ""
    choices: tuple = ()
    max_length: int = 20_000
    deprecated: bool = False


@dataclass
class F:
    """A result field: `get(obj, call)` computes it; `ref` names the method whose objects it holds."""
    get: Callable
    ref: Optional[str] = None
    primary: bool = True
    description: str = ""
    # Loader options (SQLAlchemy) that fetch what this field reads, for lists: no N+1.
    load: Optional[Callable] = None
    # A nested selector on this field may name primary fields only ("only primary are allowed").
    only_primary: bool = False
    # Without brackets the field holds only the id(s) of the referenced object(s) ("ID of ...").
    bare_id: bool = False
    # `forbidden(call)` -> a reason when this caller may not ask for the field (field_forbidden).
    forbidden: Optional[Callable] = None

    @property
    def secondary(self):
        return not self.primary


@dataclass
class Resource:
    """The fields of the objects a method returns; nested selectors resolve through these."""
    method: str
    fields: dict
    # Set for an object that exists only inside another method's answer (a search item, the
    # sizes of a photo): the method whose answer holds it (`inline`).
    owner: Optional[str] = None
    default: Optional[str] = None  # inline objects: the selector used without brackets

    def load_options(self, tree):
        """Loader options for the fields a compiled selector asks for, nested ones chained:
        a list of objects then costs one query per relationship, not one per object."""
        options = []
        for name, sub in (tree or {}).items():
            f = self.fields.get(name)
            if f is None or f.load is None:
                continue
            option = f.load()
            nested = RESOURCES.get(f.ref) if f.ref else None
            if nested is not None and sub:
                deeper = nested.load_options(sub)
                if deeper:
                    option = option.options(*deeper)
            options.append(option)
        return options


@dataclass
class Method:
    path: str
    func: Callable
    params: list
    resource: Optional[Resource] = None
    result: str = "one"  # one, list, dict (keyed by id, values may be None), raw
    default_fields: Optional[str] = None
    fields_required: bool = False
    only_primary: bool = False  # "must contain subset of primary fields"
    consumer: str = "required"
    token: str = "required"
    scopes: tuple = ()
    ssl: bool = False
    administrative: bool = False
    writes: bool = False
    brief: str = ""
    description: str = ""
    returns: str = ""
    errors: tuple = ()
    beta: bool = False
    deprecated: bool = False
    has_fields: bool = True

    @property
    def module(self):
        return self.path.rsplit("/", 1)[0]

    @property
    def short_name(self):
        return self.path.rsplit("/", 1)[1]

    def param(self, name):
        return next((p for p in self.params if p.name == name), None)


def resource(method_path, fields):
    res = Resource(method_path, fields)
    RESOURCES[method_path] = res
    return res


def inline(owner, name, fields, default=None):
    """Fields of an object nested in `owner`'s answer that no method of its own returns;
    a field holding it is `ref(getter, <the returned Resource>.method)`. Without brackets it
    shows `default` (all its primary fields when None)."""
    res = Resource(f"{owner}#{name}", fields, owner=owner, default=default)
    RESOURCES[res.method] = res
    return res


def method(path, *, params=(), resource=None, fields=None, **options):
    """Declare a method; `resource` (or a `fields` dict) says what its result is made of."""
    if fields is not None and resource is None:
        resource = Resource(path, fields)
    if resource is not None and resource.method not in RESOURCES:
        RESOURCES[resource.method] = resource
    params = list(params)
    has_fields = resource is not None and options.get("result", "one") != "raw_nofields"
    if has_fields and not any(p.name == "fields" for p in params):
        params.append(P("fields", required=options.get("fields_required", False),
                        default=options.get("default_fields"),
                        description="Selector of result fields you are interested in."))

    def decorate(func):
        METHODS[path] = Method(path=path, func=func, params=params, resource=resource,
                               has_fields=has_fields, **options)
        return func
    return decorate


def module(path, title, brief="", description="", beta=False):
    MODULES[path] = {"name": path, "title": title, "brief_description": brief,
                     "description": description or brief, "beta": beta}


def scope(key, description):
    SCOPES[key] = description


def resource_of(method_path):
    return RESOURCES.get(method_path)


# Stand-ins for referenced methods a feature declares but this installation may not serve:
# {declared path: path to use instead}. Applied by `wire()`, never at import time.
REF_FALLBACKS: dict = {}


def fallback(path, instead):
    REF_FALLBACKS[path] = instead


def dangling_references():
    """["resource.field -> method"] for every field whose referenced method has no fields."""
    missing = []
    for res in RESOURCES.values():
        for name, f in res.fields.items():
            if f.ref is not None and f.ref not in RESOURCES:
                missing.append(f"{res.method}.{name} -> {f.ref}")
    return sorted(set(missing))


def wire():
    """Resolve references once every feature has declared its methods, and fail fast.

    Called by the application factory after all features are attached, so the outcome never
    depends on the order packages were imported in."""
    for res in RESOURCES.values():
        for f in res.fields.values():
            if f.ref is not None and f.ref not in RESOURCES and f.ref in REF_FALLBACKS:
                f.ref = REF_FALLBACKS[f.ref]
    missing = dangling_references()
    if missing:
        raise RuntimeError("API fields reference methods nobody registered: " + "; ".join(missing))


# --- small helpers for declarations -----------------------------------------------------

def attr(name, **kw):
    """The object's attribute, as it is."""
    return F(lambda obj, call: getattr(obj, name), **kw)


def id_attr(name="id", **kw):
    """An id, as a string (IDs are strings on the wire)."""
    def get(obj, call):
        value = getattr(obj, name)
        return None if value is None else str(value)
    return F(get, **kw)


def datetime_attr(name, **kw):
    return F(lambda obj, call: clock.fmt_datetime(getattr(obj, name)), **kw)


def date_attr(name, **kw):
    return F(lambda obj, call: clock.fmt_date(getattr(obj, name)), **kw)


def ref(getter, method_path, **kw):
    """A field holding an object (or a list of them) of `method_path`."""
    return F(getter, ref=method_path, **kw)
