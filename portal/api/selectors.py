"""Field selectors: `id|name|groups[number|slots[number|capacity]]`, parsed, checked, applied."""
from .errors import ApiError, field_error, param_invalid
from .registry import METHODS, RESOURCES

MAX_DEPTH = 12


def parse(text):
    """Parse a selector into {name: sub-selector text or None}, keeping order. A field named
    twice is asked for once: `groups[number]|groups[capacity]` is `groups[number|capacity]`
    (a plain `groups` beside bracketed ones adds nothing); empty brackets are refused."""
    result, i, n = {}, 0, len(text)
    while i < n:
        j = i
        while j < n and text[j] not in "|[]":
            j += 1
        name = text[i:j].strip()
        sub = None
        if j < n and text[j] == "[":
            depth, k = 1, j + 1
            while k < n and depth:
                depth += {"[": 1, "]": -1}.get(text[k], 0)
                k += 1
            if depth:
                raise param_invalid("fields", "unbalanced brackets")
            sub = text[j + 1:k - 1]
            if not sub.strip():
                raise param_invalid("fields", f"empty brackets after {name or 'a field'}")
            j = k
        elif j < n and text[j] == "]":
            raise param_invalid("fields", "unbalanced brackets")
        if not name:
            if sub is not None or (j < n):
                raise param_invalid("fields", "empty field name")
        elif name in result and sub is not None:
            result[name] = sub if result[name] is None else f"{result[name]}|{sub}"
        elif name not in result:
            result[name] = sub
        if j < n and text[j] != "|":
            raise param_invalid("fields", f"unexpected character after {name}")
        i = j + 1
    return result


def default_selector(method_path, only_primary=False):
    """What a reference without brackets selects: the referenced method's default fields (its
    primary ones, where only primary fields are allowed)."""
    method = METHODS.get(method_path)
    res = RESOURCES.get(method_path)
    if method is not None and method.default_fields:
        if not only_primary or res is None:
            return method.default_fields
        kept = []
        for name, sub in parse(method.default_fields).items():
            f = res.fields.get(name)
            if f is None or f.primary:
                kept.append(name if sub is None else f"{name}[{sub}]")
        return "|".join(kept)
    if res is None:
        return "id"
    primary = [name for name, f in res.fields.items() if f.primary]
    if res.owner:
        return res.default or "|".join(primary)
    return "id" if "id" in res.fields else (primary[0] if primary else "")


class Selection(dict):
    """One level of a compiled selector: {name: deeper Selection, or None for a plain field}.

    `asked` is False when the level comes from a default selector rather than from the caller's
    `fields`; `hidden` are the fields such a default selected that the caller may not see: they
    answer null, where asking for them by name is refused. So the answer to a forbidden field
    never depends on how it was asked for (`x`, `x[id]`, `a[x]`), only on whether it was."""

    def __init__(self, asked=True):
        super().__init__()
        self.asked = asked
        self.hidden = set()


def compile_selector(method_path, text, only_primary=False, resource=None, depth=0, call=None, asked=True):
    """Check a selector against a method's fields and turn it into a tree of Selections.
    Unknown names, brackets on plain fields and secondary fields where only primary ones are
    allowed are refused with the error of CONVENTIONS.md."""
    if depth > MAX_DEPTH:
        raise param_invalid("fields", "the selector is nested too deeply")
    res = resource or RESOURCES.get(method_path)
    if res is None:
        raise ApiError("method_not_found", f"Method {method_path} has no fields.", status=500)
    tree = Selection(asked)
    method_path = res.owner or method_path  # errors name a method, also for inline objects
    for name, sub in parse(text).items():
        f = res.fields.get(name)
        if f is None:
            raise field_error("field_not_found", name, method_path,
                              f"Field {name} does not exist in {method_path}.")
        if f.secondary and only_primary:
            raise field_error("field_invalid", name, method_path,
                              f"Field {name} of {method_path} is secondary and is not allowed here.")
        reason = f.forbidden(call) if f.forbidden is not None and call is not None else None
        if reason and asked:
            raise field_error("field_forbidden", name, method_path,
                              f"You may not ask for the field {name} of {method_path}.", reason=reason)
        if reason:
            tree.hidden.add(name)
            tree[name] = None
            continue
        if f.ref is None:
            if sub is not None:
                raise field_error("field_invalid", name, method_path,
                                  f"Field {name} of {method_path} does not take subfields.")
            tree[name] = None
        elif sub is None and f.bare_id:
            tree[name] = None
        else:
            sub_text = sub if sub is not None else default_selector(f.ref, f.only_primary)
            tree[name] = compile_selector(f.ref, sub_text, only_primary=f.only_primary, depth=depth + 1,
                                          call=call, asked=asked and sub is not None)
    return tree


def _id_of(method_path, obj, call):
    if obj is None or isinstance(obj, (str, int)):
        return obj
    res = RESOURCES.get(method_path)
    if res is not None and "id" in res.fields:
        return res.fields["id"].get(obj, call)
    return obj


def project(method_path, obj, tree, call):
    """The selected fields of one object (None stays None)."""
    if obj is None:
        return None
    res = RESOURCES[method_path]
    hidden, asked = getattr(tree, "hidden", ()), getattr(tree, "asked", True)
    out = {}
    for name, sub in tree.items():
        f = res.fields[name]
        refusal = f.guard(obj, call) if f.guard is not None and name not in hidden else None
        if refusal is not None and asked:
            raise refusal
        if refusal is not None or name in hidden:
            out[name] = None
            continue
        value = f.get(obj, call)
        if f.ref is not None:
            if sub is not None:
                value = project_many(f.ref, value, sub, call)
            elif f.bare_id:
                value = _ids(f.ref, value, call)
        out[name] = value
    return out


def _ids(method_path, value, call):
    if isinstance(value, (list, tuple)):
        return [_id_of(method_path, v, call) for v in value]
    return _id_of(method_path, value, call)


def project_many(method_path, value, tree, call):
    if value is None:
        return None
    if isinstance(value, dict):  # keyed by id, or by term and then a list (groups/user)
        return {k: project_many(method_path, v, tree, call) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [project(method_path, v, tree, call) for v in value]
    return project(method_path, value, tree, call)
