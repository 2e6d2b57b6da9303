"""The names a CustomResourceDefinition may have, as the apiextensions-apiserver's naming
controller (pkg/controller/status/naming_controller.go) decides them.

Within one API group, a CRD's plural, singular and short names must not be among the
plurals, singulars and short names another CRD of the group has been given (its
``status.acceptedNames``), nor its kind and list kind among their kinds and list kinds. A
name the CRD already had accepted stays its own. A clash makes ``NamesAccepted`` False with
the reason of the last clashing name (``PluralConflict``, ``SingularConflict``,
``ShortNamesConflict``, ``KindConflict``, ``ListKindConflict``) and the message
``"NAME" is already in use``; a CRD never established then stays unestablished
(``NotAccepted``) and is not served.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["accepted", "decide"]


def _taken(others: Iterable[dict]) -> tuple[set[str], set[str]]:
    resources: set[str] = set()
    kinds: set[str] = set()
    for other in others:
        names = (other.get("status") or {}).get("acceptedNames") or {}
        resources.update(n for n in (names.get("plural"), names.get("singular")) if n)
        resources.update(names.get("shortNames") or ())
        kinds.update(n for n in (names.get("kind"), names.get("listKind")) if n)
    return resources, kinds


def _clash(requested: str | None, accepted: str | None, used: set[str]) -> str | None:
    if requested == accepted or requested not in used:
        return None
    return f'"{requested}" is already in use'


def decide(
    names: dict, old_status: dict, others: Iterable[dict]
) -> tuple[dict, tuple[str, str, str], tuple[str, str, str] | None]:
    """(acceptedNames, NamesAccepted (status, reason, message), Established or None to keep
    the CRD's own) for a CRD requesting ``names`` (defaulted ``spec.names``) whose status
    was ``old_status``, beside the other CRDs of its group."""
    resources, kinds = _taken(others)
    before = old_status.get("acceptedNames") or {}
    new = dict(before)
    problem: tuple[str, str] | None = None
    for key, reason, used in (
        ("plural", "PluralConflict", resources),
        ("singular", "SingularConflict", resources),
    ):
        why = _clash(names.get(key), before.get(key), used)
        if why:
            problem = (reason, why)
        elif names.get(key):
            new[key] = names[key]
    short = list(names.get("shortNames") or ())
    if short != list(before.get("shortNames") or ()):
        mine = set(before.get("shortNames") or ())
        clashes = (_clash(s, "", resources) for s in short if s not in mine)
        errors = [e for e in clashes if e]
        if errors:
            why = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
            problem = ("ShortNamesConflict", why)
        elif short:
            new["shortNames"] = short
        else:
            new.pop("shortNames", None)
    for key, reason in (("kind", "KindConflict"), ("listKind", "ListKindConflict")):
        why = _clash(names.get(key), before.get(key), kinds)
        if why:
            problem = (reason, why)
        elif names.get(key):
            new[key] = names[key]
    if names.get("categories"):
        new["categories"] = list(names["categories"])
    else:
        new.pop("categories", None)
    order = ("plural", "singular", "shortNames", "kind", "listKind", "categories")
    new = {k: new[k] for k in order if k in new}
    if problem is None:
        return new, ("True", "NoConflicts", "no conflicts found"), None
    was = {c.get("type"): c for c in old_status.get("conditions") or ()}
    if (was.get("Established") or {}).get("status") == "True":
        return new, ("False", *problem), None
    return new, ("False", *problem), ("False", "NotAccepted", "not all names are accepted")


def accepted(crd: dict) -> bool:
    """Whether a CRD is served: established, or its names accepted."""
    conditions = (crd.get("status") or {}).get("conditions") or ()
    return any(
        c.get("type") in ("Established", "NamesAccepted") and c.get("status") == "True"
        for c in conditions
    )
