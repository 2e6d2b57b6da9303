"""Who may do what: service accounts, roles and cluster roles (the PolicyRule table),
role bindings and cluster role bindings (kubectl's ``describeServiceAccount`` and its
``RoleDescriber``, ``ClusterRoleDescriber``, ``RoleBindingDescriber`` and
``ClusterRoleBindingDescriber``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kite_tui.core.kube.describe.common import Subject, write_events, write_labels
from kite_tui.core.kube.describe.writer import NONE, PrefixWriter

__all__ = ["compact_rules", "describe_binding", "describe_role", "describe_service_account"]


def describe_service_account(subject: Subject, out: PrefixWriter) -> None:
    meta = subject.meta
    out.kv(0, "Name", meta.get("name"), empty="")
    out.kv(0, "Namespace", meta.get("namespace"), empty="")
    write_labels(out, meta)
    names = [str(s.get("name", "")) for s in subject.obj.get("imagePullSecrets") or []]
    if not names:
        out.kv(0, "Image pull secrets", NONE)
    for i, name in enumerate(names):
        out.row(0, "Image pull secrets:" if i == 0 else " " * 19, name)
    write_events(out, subject.events, subject.times)


_Rule = dict[str, list[str]]
_FIELDS = {
    "verbs": "Verbs",
    "apiGroups": "APIGroups",
    "resources": "Resources",
    "resourceNames": "ResourceNames",
    "nonResourceURLs": "NonResourceURLs",
}


def _rule_string(rule: _Rule) -> str:
    """The generated ``PolicyRule.String()`` kubectl sorts the rules by."""
    fields = "".join(f"{go}:[{' '.join(rule.get(k, []))}]," for k, go in _FIELDS.items())
    return "&PolicyRule{" + fields + "}"


def compact_rules(rules: Sequence[Mapping[str, Any]]) -> list[_Rule]:
    """kubectl's ``BreakdownRule`` then ``CompactRules`` then a stable sort by the rules'
    text: one rule per group, resource and name, with every verb granted on it."""
    broken: list[_Rule] = []
    for rule in rules:
        verbs = [str(v) for v in rule.get("verbs") or []]
        names = [str(n) for n in rule.get("resourceNames") or []]
        for group in rule.get("apiGroups") or []:
            for resource in rule.get("resources") or []:
                for verb in verbs:
                    base = {
                        "apiGroups": [str(group)],
                        "resources": [str(resource)],
                        "verbs": [verb],
                    }
                    if names:
                        broken.extend({**base, "resourceNames": [n]} for n in names)
                    else:
                        broken.append(base)
        for url in rule.get("nonResourceURLs") or []:
            broken.extend({"nonResourceURLs": [str(url)], "verbs": [verb]} for verb in verbs)
    compacted: list[_Rule] = []
    simple: dict[tuple[str, str, tuple[str, ...]], _Rule] = {}
    for rule in broken:
        if rule.get("nonResourceURLs"):
            compacted.append(rule)
            continue
        key = (rule["apiGroups"][0], rule["resources"][0], tuple(rule.get("resourceNames", [])))
        if key in simple:
            verbs = simple[key]["verbs"]
            verbs.extend(v for v in rule["verbs"] if v not in verbs)
        else:
            simple[key] = {k: list(v) for k, v in rule.items()}
    compacted.extend(simple.values())
    return sorted(compacted, key=_rule_string)


def _resource_group(rule: _Rule) -> str:
    """kubectl's ``CombineResourceGroup``: ``deployments.apps``, ``pods/log``."""
    resources, groups = rule.get("resources") or [], rule.get("apiGroups") or []
    if not resources:
        return ""
    name, _, sub = resources[0].partition("/")
    if groups and groups[0]:
        name = f"{name}.{groups[0]}"
    return f"{name}/{sub}" if "/" in resources[0] else name


def describe_role(subject: Subject, out: PrefixWriter) -> None:
    """A Role or ClusterRole: kubectl prints both alike, with no namespace and no events."""
    meta = subject.meta
    out.kv(0, "Name", meta.get("name"), empty="")
    write_labels(out, meta)
    out.head(0, "PolicyRule")
    out.row(1, "Resources", "Non-Resource URLs", "Resource Names", "Verbs")
    out.row(1, "---------", "-----------------", "--------------", "-----")
    for rule in compact_rules(subject.obj.get("rules") or []):
        out.row(
            1,
            _resource_group(rule),
            *(f"[{' '.join(rule.get(k, []))}]" for k in ("nonResourceURLs", "resourceNames")),
            f"[{' '.join(rule['verbs'])}]",
        )


def describe_binding(subject: Subject, out: PrefixWriter) -> None:
    """A RoleBinding or ClusterRoleBinding, alike in kubectl: no namespace, no events."""
    meta, obj = subject.meta, subject.obj
    out.kv(0, "Name", meta.get("name"), empty="")
    write_labels(out, meta)
    ref = obj.get("roleRef") or {}
    out.head(0, "Role")
    out.kv(1, "Kind", ref.get("kind", ""), empty="")
    out.kv(1, "Name", ref.get("name", ""), empty="")
    out.head(0, "Subjects")
    out.row(1, "Kind", "Name", "Namespace")
    out.row(1, "----", "----", "---------")
    for s in obj.get("subjects") or []:
        out.row(1, s.get("kind", ""), s.get("name", ""), s.get("namespace", ""))
