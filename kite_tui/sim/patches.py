"""The three patch types a Kubernetes server accepts, as kubectl sends them.

- JSON merge patch (RFC 7386, ``application/merge-patch+json``): `kubectl label`,
  `annotate`, `scale` and `patch --type=merge`.
- Strategic merge patch (``application/strategic-merge-patch+json``): `kubectl patch`,
  `set image`, `set env` and client-side `apply` on built-in kinds. Like a merge patch,
  except that the lists the API types mark ``patchStrategy:"merge"`` are merged item by
  item on their merge key (containers by ``name``, volume mounts by ``mountPath``…),
  and the directives ``$patch`` (``delete``/``replace``), ``$retainKeys``,
  ``$setElementOrder/<list>`` and ``$deleteFromPrimitiveList/<list>`` are obeyed, never
  stored. A real server refuses it for custom resources (415), which kubectl knows.
- JSON patch (RFC 6902, ``application/json-patch+json``): `kubectl patch --type=json`.
- Server-side apply (``application/apply-patch+yaml``): `kubectl apply --server-side`,
  without field managers: a missing object is created, an existing one has the applied
  configuration merged in (as a strategic merge patch for built-in kinds); fields dropped
  from the configuration are not removed and there are no conflicts.
"""

from __future__ import annotations

import copy
from typing import Any

MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"


class PatchError(ValueError):
    """A patch that cannot be applied; ``code`` is the status a real server answers."""

    def __init__(self, message: str, code: int = 422) -> None:
        super().__init__(message)
        self.code = code


def merge_patch(target: object, patch: object) -> object:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


# ------------------------------------------------------------ strategic merge patch
# The merge keys of the built-in types' lists with patchStrategy "merge", by field name
# (where a name is used twice the key present in the items decides: container ports
# merge on containerPort, service ports on port).
MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "containers": ("name",),
    "initContainers": ("name",),
    "ephemeralContainers": ("name",),
    "env": ("name",),
    "volumes": ("name",),
    "volumeMounts": ("mountPath",),
    "volumeDevices": ("devicePath",),
    "imagePullSecrets": ("name",),
    "resourceClaims": ("name",),
    "schedulingGates": ("name",),
    "hostAliases": ("ip",),
    "ports": ("containerPort", "port"),
    "conditions": ("type",),
    "addresses": ("type",),
    "ownerReferences": ("uid",),
    "topologySpreadConstraints": ("topologyKey",),
    "podIPs": ("ip",),
    "hostIPs": ("ip",),
}
# Lists of scalars with patchStrategy "merge": the patch's items are added to them.
MERGED_SCALAR_LISTS = frozenset({"finalizers"})


def strategic_merge_patch(target: object, patch: object) -> object:
    """Apply a strategic merge patch to ``target`` (a built-in kind's object)."""
    return _smp(target, patch)


def _smp(target: object, patch: object) -> Any:
    if not isinstance(patch, dict):
        return patch
    directive = patch.get("$patch")
    if directive == "replace":
        return _clean(patch)
    if directive == "delete":
        return None
    if directive is not None:
        raise PatchError(f"unknown patch directive {directive!r}", 400)
    out = dict(target) if isinstance(target, dict) else {}
    orders: dict[str, list] = {}
    for k, v in patch.items():
        if k.startswith("$setElementOrder/"):
            orders[k.split("/", 1)[1]] = v
        elif k.startswith("$deleteFromPrimitiveList/"):
            field = k.split("/", 1)[1]
            if isinstance(out.get(field), list):
                out[field] = [x for x in out[field] if x not in v]
        elif k in ("$patch", "$retainKeys"):
            continue
        elif v is None:
            out.pop(k, None)
        elif isinstance(v, list):
            out[k] = _merge_list(k, out.get(k), v)
        else:
            merged = _smp(out.get(k), v)
            if merged is None:
                out.pop(k, None)
            else:
                out[k] = merged
    for field, order in orders.items():
        if isinstance(out.get(field), list):
            out[field] = _ordered(field, out[field], order)
    retain = patch.get("$retainKeys")
    if isinstance(retain, list):
        out = {k: v for k, v in out.items() if k in retain}
    return out


def _key_of(field: str, items: list) -> str | None:
    """The merge key of this list, or None when it is replaced as a whole."""
    for key in MERGE_KEYS.get(field, ()):
        if any(isinstance(i, dict) and key in i for i in items):
            return key
    return None


def _merge_list(field: str, current: object, patch: list) -> list:
    current = current if isinstance(current, list) else []
    if field in MERGED_SCALAR_LISTS:
        return current + [x for x in patch if x not in current]
    key = _key_of(field, patch)
    if key is None:
        return _clean(patch)
    if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
        return [_clean(i) for i in patch if not (isinstance(i, dict) and "$patch" in i)]
    merged = list(current)
    for item in patch:
        if not isinstance(item, dict):
            raise PatchError(f"{field}: expected objects with a {key!r}", 400)
        at = next(
            (
                n
                for n, c in enumerate(merged)
                if isinstance(c, dict) and c.get(key) == item.get(key)
            ),
            None,
        )
        if item.get("$patch") == "delete":
            if at is not None:
                del merged[at]
        elif at is not None:
            merged[at] = _smp(merged[at], item)
        else:
            merged.append(_smp(None, item))
    return merged


def _ordered(field: str, items: list, order: list) -> list:
    key = _key_of(field, order)

    def ident(x: object) -> object:
        return x.get(key) if key is not None and isinstance(x, dict) else x

    wanted = [ident(o) for o in order]
    rank = {repr(w): n for n, w in enumerate(wanted)}
    return sorted(items, key=lambda x: rank.get(repr(ident(x)), len(rank)))


def _clean(value: Any) -> Any:
    """A value with every patch directive taken out."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not k.startswith("$")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


# ----------------------------------------------------------------------- JSON patch
def json_patch(target: object, ops: object) -> object:
    """RFC 6902: apply every operation, or none (the first failure raises)."""
    if not isinstance(ops, list):
        raise PatchError("a JSON patch is a list of operations", 400)
    doc = copy.deepcopy(target)
    for op in ops:
        if not isinstance(op, dict) or "path" not in op:
            raise PatchError(f"invalid JSON patch operation {op!r}", 400)
        kind = op.get("op")
        path = _pointer(op["path"])
        if kind == "add":
            doc = _add(doc, path, copy.deepcopy(_value(op)))
        elif kind == "remove":
            doc, _ = _remove(doc, path)
        elif kind == "replace":
            doc, _ = _remove(doc, path)
            doc = _add(doc, path, copy.deepcopy(_value(op)))
        elif kind in ("move", "copy"):
            source = _pointer(op.get("from", ""))
            if kind == "move":
                doc, value = _remove(doc, source)
            else:
                value = copy.deepcopy(_get(doc, source))
            doc = _add(doc, path, value)
        elif kind == "test":
            if _get(doc, path) != _value(op):
                raise PatchError(f"the test operation on {op['path']} failed")
        else:
            raise PatchError(f"unknown JSON patch operation {kind!r}", 400)
    return doc


def _value(op: dict) -> object:
    if "value" not in op:
        raise PatchError(f"the {op.get('op')} operation on {op['path']} has no value", 400)
    return op["value"]


def _pointer(text: object) -> list[str]:
    if not isinstance(text, str) or (text and not text.startswith("/")):
        raise PatchError(f"invalid JSON pointer {text!r}", 400)
    return [p.replace("~1", "/").replace("~0", "~") for p in text.split("/")[1:]]


def _index(container: list, part: str, path: list[str], *, adding: bool = False) -> int:
    if adding and part == "-":
        return len(container)
    if not part.isdigit() or int(part) > len(container) - (0 if adding else 1):
        raise PatchError(f"index {part} is out of range at /{'/'.join(path)}")
    return int(part)


def _get(doc: object, path: list[str]) -> object:
    for n, part in enumerate(path):
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list):
            doc = doc[_index(doc, part, path[: n + 1])]
        else:
            raise PatchError(f"/{'/'.join(path)} does not exist")
    return doc


def _add(doc: object, path: list[str], value: object) -> object:
    if not path:
        return value
    parent = _get(doc, path[:-1])
    last = path[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, path, adding=True), value)
    else:
        raise PatchError(f"cannot add /{'/'.join(path)}: its parent is not an object or list")
    return doc


def _remove(doc: object, path: list[str]) -> tuple[object, object]:
    if not path:
        return None, doc
    parent = _get(doc, path[:-1])
    last = path[-1]
    if isinstance(parent, dict) and last in parent:
        return doc, parent.pop(last)
    if isinstance(parent, list):
        return doc, parent.pop(_index(parent, last, path))
    raise PatchError(f"/{'/'.join(path)} does not exist")


# ------------------------------------------------------------------------ dispatch
def apply_patch(current: dict, patch: object, content_type: str, *, custom: bool) -> object:
    """``current`` patched as the request's Content-Type says (``custom``: a custom
    resource, which takes no strategic merge patch)."""
    media = content_type.split(";")[0].strip().lower()
    if media == JSON_PATCH:
        return json_patch(current, patch)
    if media == MERGE_PATCH:
        return merge_patch(current, patch)
    if media == STRATEGIC_MERGE_PATCH and not custom:
        return strategic_merge_patch(current, patch)
    if media == APPLY_PATCH:
        # Server-side apply without field ownership: the applied configuration is merged
        # in (lists on their merge keys); fields it leaves out are kept, never removed.
        return merge_patch(current, patch) if custom else strategic_merge_patch(current, patch)
    accepted = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
    accepted += [] if custom else [STRATEGIC_MERGE_PATCH]
    raise PatchError(
        "the body of the request was in an unknown format - accepted media types include: "
        + ", ".join(accepted),
        415,
    )
