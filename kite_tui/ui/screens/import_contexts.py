"""`ImportContextsScreen`: tick kubeconfig contexts and add them as clusters in one save.

The checklist shows every context of a kubeconfig (the default one, or another chosen with
ctrl+o), all ticked: contexts a cluster already uses are also disabled, so importing twice is
harmless, and the others are imported unless the user unticks them. enter or ctrl+s imports
the ticked ones with ``doc.import_contexts`` through `apply_edit`, the same edit as
``kite-tui config import``; the watcher shows the new clusters.

This is also the first-run path: with no config file yet, importing creates it (0600, in a
0700 directory), so a new user goes from nothing to clusters with ``i`` then enter.

Reading the kubeconfig and the config, and saving, happen in thread workers.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from kite_tui.core.config import (
    ConfigDocument,
    ConfigEditError,
    ConfigError,
    ContextInfo,
    ImportResult,
    default_kubeconfig_path,
    kubeconfig_contexts,
    typed_paths,
    user_paths,
)
from kite_tui.ui.editing import edit_error_message, run_edit

__all__ = ["ContextChecklist", "ImportContextsScreen"]


class ContextChecklist(SelectionList[str]):
    """The checklist: space ticks (as in any SelectionList); enter imports instead of ticking."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.import_selected", "Import", show=False),
    ]


class ImportContextsScreen(ModalScreen[ImportResult | None]):
    """Import kubeconfig contexts into `config_path`; dismisses with what was imported."""

    class Loaded(Message):
        """The kubeconfig's contexts, and which of them the config already uses."""

        def __init__(
            self,
            path_text: str,
            contexts: list[ContextInfo],
            configured: dict[str, str],
            config_exists: bool,
            error: str | None,
        ) -> None:
            super().__init__()
            self.path_text = path_text
            self.contexts = contexts
            self.configured = configured  # context -> the cluster that already uses it
            self.config_exists = config_exists
            self.error = error

    class Imported(Message):
        """An import finished: what was imported, or why not."""

        def __init__(
            self, result: ImportResult | None, error: str | None, warnings: tuple[str, ...] = ()
        ) -> None:
            super().__init__()
            self.result = result
            self.error = error
            self.warnings = warnings

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "import_selected", "Import"),
        Binding("ctrl+o", "choose_file", "Other kubeconfig"),
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CLASSES = "dialog"  # the box and its border: app.tcss

    DEFAULT_CSS = """
    ImportContextsScreen > Vertical {
        width: 96;
        max-width: 100%;
        height: auto;
        padding: 0 1;
    }
    ImportContextsScreen #import-title {
        text-style: bold;
    }
    ImportContextsScreen #import-note {
        color: $text-muted;
    }
    ImportContextsScreen .row {
        height: auto;
        margin-top: 1;
    }
    ImportContextsScreen .caption {
        width: 12;
        color: $text-muted;
    }
    ImportContextsScreen #import-kubeconfig {
        width: 1fr;
    }
    ImportContextsScreen #import-error {
        color: $text-error;
        width: 100%;
    }
    ImportContextsScreen ContextChecklist {
        height: auto;
        max-height: 20;
        margin-top: 1;
    }
    ImportContextsScreen #import-keys {
        color: $text-muted;
        margin-top: 1;
    }
    """

    def __init__(self, config_path: Path, *, kubeconfig: Path | None = None) -> None:
        super().__init__()
        self.config_path = Path(config_path)
        # A path given by the caller is shown as given; the default as the CLI writes paths.
        self.kubeconfig_text = (
            os.fspath(kubeconfig) if kubeconfig else user_paths(default_kubeconfig_path())
        )
        self.contexts: list[ContextInfo] = []
        self.configured: dict[str, str] = {}
        self.loaded_path: str | None = None  # the kubeconfig the checklist shows
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(f"Import kubeconfig contexts into {self.config_path}"), id="import-title"
            )
            yield Static("", id="import-note")
            with Horizontal(classes="row"):
                yield Label("Kubeconfig", classes="caption")
                yield Input(self.kubeconfig_text, id="import-kubeconfig", compact=True)
            yield Label("", id="import-error", markup=False)
            yield ContextChecklist(id="contexts")
            yield Static(
                "space tick · enter/ctrl+s import · ctrl+o other kubeconfig · esc cancel",
                id="import-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#import-error").display = False
        self.query_one("#import-note").display = False
        self.checklist.focus()
        self._load(self.kubeconfig_text)

    @property
    def checklist(self) -> ContextChecklist:
        return self.query_one(ContextChecklist)

    @property
    def error(self) -> str:
        label = self.query_one("#import-error", Label)
        return str(label.render()) if label.display else ""

    def _set_error(self, message: str) -> None:
        label = self.query_one("#import-error", Label)
        label.update(message)
        label.display = bool(message)

    # ---------------------------------------------------------------------------- loading

    @on(Input.Changed, "#import-kubeconfig")
    def _path_changed(self, event: Input.Changed) -> None:
        self._load(event.value)

    @on(Input.Submitted, "#import-kubeconfig")
    def _path_submitted(self) -> None:
        self.checklist.focus()

    def action_choose_file(self) -> None:
        field = self.query_one("#import-kubeconfig", Input)
        field.focus()
        field.cursor_position = len(field.value)

    @work(thread=True, exit_on_error=False, group="import-load", exclusive=True)
    def _load(self, path_text: str) -> None:
        source = typed_paths(path_text) if path_text.strip() else None
        contexts: list[ContextInfo] = []
        configured: dict[str, str] = {}
        exists = True
        error = None
        try:
            if source is None:
                raise ConfigEditError("give the path of a kubeconfig")
            contexts = kubeconfig_contexts(source)
            doc = ConfigDocument.read(self.config_path)
            exists = doc.signature.exists
            used = doc.contexts_used(source)
            for context in contexts:
                cluster = used.get(context.name)
                if cluster is not None:
                    configured[context.name] = cluster
        except ConfigEditError as exc:
            error = str(exc)
        except ConfigError as exc:
            error = edit_error_message(exc, self.config_path)
        self.post_message(self.Loaded(path_text, contexts, configured, exists, error))

    @on(Loaded)
    def _loaded(self, message: ImportContextsScreen.Loaded) -> None:
        if message.path_text != self.query_one("#import-kubeconfig", Input).value:
            return  # the path changed since this read started; a newer one is coming
        self.loaded_path = message.path_text
        self.contexts = message.contexts
        self.configured = message.configured
        new = [c for c in message.contexts if c.name not in message.configured]
        note = self.query_one("#import-note", Static)
        if not message.config_exists:
            text = (
                f"{self.config_path} does not exist yet: importing creates it, readable only "
                "by you. Every context is ticked: untick those you do not want."
            )
        else:
            text = "Contexts not configured yet are ticked: untick those you do not want."
        note.update(Text(text))
        note.display = bool(new)
        if message.error:
            self._set_error(message.error)
        elif not message.contexts:
            self._set_error(f"{message.path_text} has no contexts")
        else:
            self._set_error("")
        checklist = self.checklist
        checklist.clear_options()
        width = max((len(c.name) for c in message.contexts), default=0)
        checklist.add_options(
            [
                Selection(
                    _context_prompt(c, width, message.configured.get(c.name)),
                    c.name,
                    # Whichever kubeconfig it is, every context comes up ticked: `i` then
                    # enter is the whole setup, and ctrl+o then enter imports that file.
                    initial_state=True,
                    disabled=c.name in message.configured,
                )
                for c in message.contexts
            ]
        )
        # Put the cursor on the first context that can be ticked, so space works at once.
        checklist.highlighted = next(
            (i for i, c in enumerate(message.contexts) if c.name not in message.configured),
            0 if message.contexts else None,
        )

    # ---------------------------------------------------------------------------- importing

    @property
    def chosen(self) -> list[str]:
        """Ticked contexts not configured yet, in the kubeconfig's order."""
        ticked = set(self.checklist.selected)
        return [c.name for c in self.contexts if c.name in ticked and c.name not in self.configured]

    def action_import_selected(self) -> None:
        if self.busy or self.loaded_path is None:
            return
        chosen = self.chosen
        if not chosen:
            self._set_error("nothing to import: tick contexts with space first")
            return
        self.busy = True
        self._import(user_paths(self.loaded_path), chosen)

    @work(thread=True, exit_on_error=False, group="import-save", exclusive=True)
    def _import(self, kubeconfig: str, contexts: list[str]) -> None:
        result, error = run_edit(
            self.config_path, lambda doc: doc.import_contexts(kubeconfig, contexts)
        )
        if result is None:
            self.post_message(self.Imported(None, error))
        else:
            self.post_message(self.Imported(result.value, None, result.warnings))

    @on(Imported)
    def _imported(self, message: ImportContextsScreen.Imported) -> None:
        self.busy = False
        result = message.result
        if result is None:
            self._set_error(message.error or "not imported")
            return
        names = ", ".join(repr(e.name) for e in result.added)
        if result.added:
            self.app.notify(
                f"Imported {len(result.added)} cluster(s) into {self.config_path}: {names}"
            )
        for skip in result.skipped:
            self.app.notify(
                f"Skipped context {skip.context!r}: already configured as {skip.cluster!r}",
                severity="warning",
            )
        for warning in message.warnings:
            self.app.notify(warning, severity="warning", timeout=10)
        self.dismiss(result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.busy = False
            self._set_error(f"unexpected error: {event.worker.error}")

    def action_cancel(self) -> None:
        self.dismiss(None)


def _context_prompt(context: ContextInfo, width: int, configured_as: str | None) -> Text:
    text = Text(context.name.ljust(width))
    where = " @ ".join(p for p in (context.cluster, context.server) if p)
    if where:
        text.append(f"  {where}", style="dim")
    if context.current:
        text.append("  (current)", style="italic")
    if configured_as is not None:
        text.append(f"  already configured as {configured_as!r}", style="green")
    return text
