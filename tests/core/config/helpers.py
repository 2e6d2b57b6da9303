"""Config files and kubeconfigs shared by the config tests, and checks of edited text."""

from __future__ import annotations

import difflib
from pathlib import Path

from kite_tui.core.config import apply_edit, load_config

KUBECONFIG = """\
apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: {server: "https://127.0.0.1:6443"}
- name: eks
  cluster: {server: "https://eks.example:443"}
contexts:
- name: dev
  context: {cluster: dev, user: me, namespace: team-a}
- name: staging
  context: {cluster: dev, user: me}
- name: "arn:aws:eks:eu-west-1:123:cluster/prod"
  context: {cluster: eks, user: aws}
users:
- name: me
  user: {token: kubeconfig-secret}
"""

# Comments above, inside and after tables, inline comments, blank lines, an indented key,
# unusual key order, single-quoted strings, a commented header and a comment at the very end.
CONFIG = """\
# kite-tui config (hand-written)

[settings]
resync_seconds = 30   # probe every 30 s

# --- clusters ---

# The dev cluster, from my kubeconfig
[[clusters]]
# inside dev, above the name
  description = 'Dev box'      # indented, single-quoted
name = 'dev'
kubeconfig = 'kubeconfig'
context="dev"
default = true  # open this one first

[[clusters]]   # prod, straight to the server
name = "prod"
server = "https://10.0.0.1:6443"
token_file = 'token'
readonly = true
# enabled = false   (commented-out option of prod)

# lab follows

[[clusters]]
enabled = false
name = "lab"
server = "http://127.0.0.1:8080"

# end of file
"""


def diff(before: str, after: str) -> list[str]:
    """Changed lines only, as '-old' / '+new' (unified diff without context)."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if not line.startswith(("---", "+++", "@@"))
    ]


def comments(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if "#" in ln]


def edited(path: Path, edit) -> str:  # type: ignore[no-untyped-def]
    """Apply `edit` with the real read/save path and return the new file text."""
    result = apply_edit(path, edit)
    assert result.warnings == ()
    text = path.read_text()
    load_config(path)  # still loads
    return text
