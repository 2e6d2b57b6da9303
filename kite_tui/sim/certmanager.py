"""A custom resource every real cluster seems to have: cert-manager's Certificate.

:func:`certificate_crd` is its CustomResourceDefinition, with the printer columns
cert-manager ships (Ready, Secret, Issuer and Status for ``-o wide``, Age);
:func:`certificates` a few Certificates in their usual states (ready, issuing, failed), for
the demo clusters and the tests.
"""

from __future__ import annotations

import random

from kite_tui.sim import objects as o
from kite_tui.sim.store import rfc3339

_AGE_DESCRIPTION = (
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC."
)

PRINTER_COLUMNS = [
    {
        "jsonPath": '.status.conditions[?(@.type=="Ready")].status',
        "name": "Ready",
        "type": "string",
    },
    {"jsonPath": ".spec.secretName", "name": "Secret", "type": "string"},
    {"jsonPath": ".spec.issuerRef.name", "name": "Issuer", "priority": 1, "type": "string"},
    {
        "jsonPath": '.status.conditions[?(@.type=="Ready")].message',
        "name": "Status",
        "priority": 1,
        "type": "string",
    },
    {
        "description": _AGE_DESCRIPTION,
        "jsonPath": ".metadata.creationTimestamp",
        "name": "Age",
        "type": "date",
    },
]


def certificate_crd(created: float, rng: random.Random) -> dict:
    """cert-manager's ``certificates.cert-manager.io`` CRD (its schema left open)."""
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": o.meta(
            "certificates.cert-manager.io",
            created,
            rng,
            labels={
                "app": "cert-manager",
                "app.kubernetes.io/instance": "cert-manager",
                "app.kubernetes.io/name": "cert-manager",
            },
        ),
        "spec": {
            "group": "cert-manager.io",
            "names": {
                "categories": ["cert-manager"],
                "kind": "Certificate",
                "listKind": "CertificateList",
                "plural": "certificates",
                "shortNames": ["cert", "certs"],
                "singular": "certificate",
            },
            "scope": "Namespaced",
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "additionalPrinterColumns": PRINTER_COLUMNS,
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "x-kubernetes-preserve-unknown-fields": True,
                        }
                    },
                }
            ],
        },
    }


_STATES = {
    "ready": ("True", "Ready", "Certificate is up to date and has not expired"),
    "issuing": ("False", "DoesNotExist", "Issuing certificate as Secret does not exist"),
    "failed": (
        "False",
        "Failed",
        'The certificate request has failed to complete and will be retried: ACME order "x" '
        "failed: rate limited",
    ),
}


def certificate(
    name: str,
    namespace: str,
    created: float,
    rng: random.Random,
    *,
    issuer: str = "letsencrypt-prod",
    state: str = "ready",
    dns_names: list[str] | None = None,
) -> dict:
    """A Certificate in ``state`` (ready, issuing or failed)."""
    status, reason, message = _STATES[state]
    cert: dict = {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": o.meta(name, created, rng, namespace=namespace),
        "spec": {
            "secretName": f"{name}-tls",
            "dnsNames": dns_names or [f"{name}.example.com"],
            "issuerRef": {"name": issuer, "kind": "ClusterIssuer", "group": "cert-manager.io"},
        },
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": status,
                    "reason": reason,
                    "message": message,
                    "lastTransitionTime": rfc3339(created + 30),
                    "observedGeneration": 1,
                }
            ]
        },
    }
    if state == "ready":
        cert["status"]["notAfter"] = rfc3339(created + 90 * 86400)
        cert["status"]["renewalTime"] = rfc3339(created + 60 * 86400)
    return cert


def certificates(namespaces: list[str], now: float, rng: random.Random) -> list[dict]:
    """The CRD and a few Certificates per namespace, mostly ready, one issuing, one failed."""
    out = [certificate_crd(now - 100 * 86400, rng)]
    states = ["ready", "ready", "issuing", "ready", "failed"]
    for i, ns in enumerate(namespaces):
        for j, what in enumerate(("web", "api")):
            state = states[(i * 2 + j) % len(states)]
            created = now - rng.uniform(1, 60) * 86400
            issuer = "letsencrypt-prod" if what == "web" else "internal-ca"
            out.append(certificate(f"{what}-{ns}", ns, created, rng, issuer=issuer, state=state))
    return out
