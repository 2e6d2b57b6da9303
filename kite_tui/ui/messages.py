"""The app's own messages: what the manager's threads and the app's workers post to the app.

One convention for messages in the UI: a message posted by a widget or a screen is nested in
that class (Textual's way: `ResourceBrowser.ViewChanged`, handled by
`on_resource_browser_view_changed` or `@on(ResourceBrowser.ViewChanged)`), with a docstring
and typed attributes. Only the messages the app posts to itself live here.
"""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from kite_tui.core.config import ContextInfo
from kite_tui.core.kube.client import ClusterClient
from kite_tui.core.snapshot import Snapshot


class SnapshotArrived(Message):
    """The manager published a new snapshot (posted from the watcher or a build thread)."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        # Textual asks the message it is about to handle whether the next one in the queue
        # supersedes it (True: this one is dropped). Every snapshot is complete, so a newer one
        # waiting behind makes this one moot.
        return (
            isinstance(message, SnapshotArrived)
            and message.snapshot.generation >= self.snapshot.generation
        )


class NamespacesListed(Message):
    """A cluster's namespace names, listed for `:ns` completion and checking."""

    def __init__(self, cluster: str, client: ClusterClient, names: tuple[str, ...]) -> None:
        super().__init__()
        self.cluster = cluster
        self.client = client
        self.names = names


class ContextRead(Message):
    """The kubeconfig context a cluster entry uses, read from its kubeconfig."""

    def __init__(self, key: tuple[Path, str | None, str], context: ContextInfo) -> None:
        super().__init__()
        self.key = key
        self.context = context
