"""One cluster's page: kept mounted while the user looks elsewhere, so switching back is instant.

It always shows the cluster's health; when the cluster is down it says why, at once, without
waiting on the network (the reason is already in the snapshot).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kite_tui.core.snapshot import ClusterHandle, Health
from kite_tui.ui.widgets.browser import ResourceBrowser
from kite_tui.ui.widgets.cluster_bar import HEALTH_STYLE
from kite_tui.ui.widgets.overview import describe_cluster
from kite_tui.ui.widgets.resource_table import ResourceTable

DOWN_HINT: dict[Health, str] = {
    Health.UNREACHABLE: "The API server does not answer. kite-tui keeps retrying; r retries now.",
    Health.UNAUTHORIZED: "The credentials were refused. Refresh the token or kubeconfig; "
    "kite-tui picks up the new file by itself.",
    Health.FORBIDDEN: "The credentials are valid but not allowed to read this.",
    Health.TLS_ERROR: "The server's certificate could not be verified. Check "
    "certificate_authority in the config.",
    Health.CONFIG_ERROR: "Fix the config entry (E opens the config in your editor).",
    Health.DISABLED: "This cluster is disabled in the config (enabled = false).",
    Health.CONNECTING: "Connecting…",
}


class ClusterView(Vertical):
    """The page of one cluster: its health when not ok, and its resource browser."""

    DEFAULT_CSS = """
    ClusterView {
        height: 1fr;
    }
    ClusterView > #cluster-state {
        height: auto;
        max-height: 50%;
        padding: 1 2;
        display: none;
    }
    ClusterView.down > #cluster-state {
        display: block;
    }
    ClusterView > ResourceBrowser {
        height: 1fr;
    }
    ClusterView.no-client > ResourceBrowser {
        display: none;
    }
    """

    def __init__(
        self,
        handle: ClusterHandle,
        default: str | None,
        *,
        clock: Callable[[], float] = time.time,
        id: str | None = None,
    ):
        super().__init__(id=id)
        self._clock = clock
        self.handle = handle
        self.default = default

    @property
    def cluster(self) -> str:
        return self.handle.name

    @property
    def browser(self) -> ResourceBrowser | None:
        """None until the page is composed (right after it was mounted)."""
        found = self.query(ResourceBrowser)
        return found.first() if found else None

    def compose(self) -> ComposeResult:
        yield Static(id="cluster-state")
        yield ResourceBrowser(clock=self._clock, id="browser")

    def on_mount(self) -> None:
        self.show_handle(self.handle, self.default)

    def show_handle(self, handle: ClusterHandle, default: str | None) -> None:
        self.handle = handle
        self.default = default
        down = handle.health != Health.OK
        self.set_class(down, "down")
        found = self.query("#cluster-state")
        if not found:
            return  # not composed yet: on_mount renders the latest handle
        state = found.first(Static)
        browser = self.browser
        if browser is None or not browser.query(ResourceTable):
            return  # being torn down

        client = handle.client
        self.set_class(client is None, "no-client")
        if client is not None:
            browser.attach(client, handle.spec)
        else:
            browser.detach()
        browser.show_health(handle.health)
        if down:
            text = Text()
            text.append(
                f"{handle.name} is {handle.health}\n", style=f"bold {HEALTH_STYLE[handle.health]}"
            )
            text.append(DOWN_HINT.get(handle.health, "") + "\n\n", style="italic")
            text.append_text(describe_cluster(handle, default))
            state.update(text)
        else:
            state.update("")
