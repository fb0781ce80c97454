"""services/apiref/*: the API describing itself, generated from the registry."""
from flask import request

from .errors import object_not_found
from .registry import F, METHODS, MODULES, RESOURCES, SCOPES, P, method, module, scope

module("services/apiref", "API reference", "Documentation of the API's modules, methods and scopes.")

for _key, _text in {
    "studies": "Your courses, groups, terms and study programmes.",
    "grades": "Your grades and the grades you give.",
    "grades_write": "Changing grades (for lecturers: entering grades in exam reports).",
    "staff_perspective": "Data seen from a staff member's perspective (attendance lists, group management).",
    "offline_access": "Access while you are not using the application (the token does not expire).",
    "email": "Your e-mail address.",
    "personal": "Your personal data: student number, titles, faculty.",
    "student_exams": "Your exam registrations: signing up for and out of exams.",
    "cards": "Your student and staff ID cards.",
    "events": "Notifications of events concerning you.",
    "other_emails": "E-mail addresses of other people.",
    "mobile_numbers": "Your mobile phone numbers.",
    "crstests": "Your course tests and their results.",
    "session_debugging": "Debugging of your sessions by the API administrators.",
    "change_all_preferences": "Changing your preferences.",
    "photo": "Your photo.",
    "slips": "Your slips and forms.",
    "surveys_filling": "Filling in surveys.",
    "surveys_reports": "Survey reports.",
    "placement_tests": "Your placement tests.",
    "dormitories": "Your dormitory applications.",
    "payments": "Your payments.",
}.items():
    scope(_key, _text)


def _arguments(m):
    return [{"name": p.name, "is_required": p.required, "is_deprecated": p.deprecated,
             "default_value": p.default if p.default is None else str(p.default),
             "description": p.description} for p in m.params]


def _result_fields(m):
    if m.resource is None:
        return []
    out = []
    for name, f in m.resource.fields.items():
        text = f.description or name.replace("_", " ").capitalize() + "."
        target = RESOURCES.get(f.ref) if f.ref else None
        if target is not None and target.owner:
            text += " Its objects have the fields " + ", ".join(target.fields) + "; select them in brackets."
        elif f.ref:
            text += f" This field references objects returned by {f.ref} method" + (
                " (only primary are allowed)." if f.only_primary else ".")
        out.append({"name": name, "description": text, "is_primary": f.primary,
                    "is_secondary": f.secondary})
    return out


def _auth(m):
    return {"consumer": m.consumer, "token": m.token, "administrative_only": m.administrative,
            "ssl_required": m.ssl, "scopes": list(m.scopes)}


def _ref_url(m):
    return request.url_root + "services/apiref/method?name=" + m.path


METHOD_INFO = {
    "name": F(lambda m, call: m.path),
    "short_name": F(lambda m, call: m.short_name),
    "description": F(lambda m, call: m.description or m.brief),
    "brief_description": F(lambda m, call: m.brief),
    "ref_url": F(lambda m, call: _ref_url(m)),
    "auth_options": F(lambda m, call: _auth(m)),
    "arguments": F(lambda m, call: _arguments(m)),
    "returns": F(lambda m, call: m.returns or _returns(m)),
    "errors": F(lambda m, call: list(m.errors)),
    "result_fields": F(lambda m, call: _result_fields(m)),
    "beta": F(lambda m, call: m.beta),
    "deprecated": F(lambda m, call: m.deprecated),
    "admin_access": F(lambda m, call: m.token != "ignored" and m.consumer != "ignored"),
    "is_internal": F(lambda m, call: False),
}


def _returns(m):
    if m.resource is None:
        return ""
    kind = {"list": "A list of objects", "dict": "A dictionary of objects keyed by their IDs"}.get(
        m.result, "An object")
    return f"{kind} with the fields you select (see result_fields)."


def find_method(name):
    m = METHODS.get((name or "").strip("/"))
    if m is None:
        raise object_not_found("name", "services/apiref/method", f"Method {name} does not exist.")
    return m


@method("services/apiref/method_index", result="raw", consumer="ignored", token="ignored",
        brief="The list of all methods of the API.",
        returns="A list of dictionaries with name and brief_description.")
def method_index(call):
    return [{"name": m.path, "brief_description": m.brief} for m in sorted(METHODS.values(), key=lambda m: m.path)]


@method("services/apiref/method", fields=METHOD_INFO, params=[P("name", required=True, description="Method name.")],
        default_fields="|".join(METHOD_INFO), consumer="ignored", token="ignored",
        brief="Documentation of a method.", errors=("object_not_found",))
def method_doc(call):
    return find_method(call.params["name"])


def module_info(name):
    name = (name or "").strip("/")
    methods = sorted(m.path for m in METHODS.values() if m.module == name)
    submodules = sorted({m.module for m in METHODS.values() if m.module.startswith(name + "/")}
                        | {p for p in MODULES if p.startswith(name + "/")})
    info = MODULES.get(name)
    if info is None and not methods and not submodules:
        raise object_not_found("name", "services/apiref/module", f"Module {name} does not exist.")
    info = dict(info or {"name": name, "title": name.rsplit("/", 1)[-1].capitalize(),
                         "brief_description": "", "description": "", "beta": False})
    info["submodules"] = [s for s in submodules if "/" not in s[len(name) + 1:]]
    info["methods"] = methods
    return info


@method("services/apiref/module", result="raw", params=[P("name", required=True, description="Module name.")],
        consumer="ignored", token="ignored", brief="Documentation of a module.", errors=("object_not_found",),
        returns="name, title, brief_description, description, submodules, methods, beta.")
def module_doc(call):
    return module_info(call.params["name"])


@method("services/apiref/scopes", result="raw", consumer="ignored", token="ignored",
        brief="The scopes an application may ask for.",
        returns="A list of dictionaries with key and developers_description.")
def scopes(call):
    return [{"key": k, "developers_description": v} for k, v in sorted(SCOPES.items())]
