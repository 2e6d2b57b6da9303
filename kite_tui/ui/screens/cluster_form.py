"""`ClusterFormScreen`: add (`a`) or edit (`e`) one ``[[clusters]]`` entry of the config file.

The file is the one source of truth. The form never touches the app's snapshot: saving is
`apply_edit` on the file (read, edit, validated atomic save, re-applied once if the file changed
meanwhile), and the config watcher turns the saved file into the next snapshot exactly as it
does for a hand edit.

Every file read, validation, save and connection test runs in a thread worker; the results
come back to the screen as messages, so the UI thread never waits on a disk or a network.

Tokens: a token typed into the form is masked, never echoed back anywhere (not in errors, not in
the connection test's output), and stored only when the user ticks "store token in config";
otherwise the form refuses and suggests a token file. When editing, a stored token shows as
"•••• (set)" and is kept unless replaced or the box is unticked.

One module because it is one screen: its fields, loading, collecting, saving and testing
read and write the same widgets (the shared edit helpers are in ui/editing.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
)
from textual.worker import Worker, WorkerState

from kite_tui.core.config import (
    MASK,
    NO_FIELD,
    ClusterEntry,
    ConfigDocument,
    ConfigEditError,
    ConfigError,
    ContextInfo,
    default_kubeconfig_path,
    kubeconfig_contexts,
    resolve_paths,
    scrub,
    spec_for,
    typed_paths,
    user_path,
    user_paths,
    validate_entry,
)
from kite_tui.core.kube.client import build_client, classify_error, probe
from kite_tui.core.snapshot import Health
from kite_tui.ui.editing import edit_error_message, run_edit

__all__ = ["KUBECONFIG", "SERVER", "ClusterFormScreen"]

KUBECONFIG = "kubeconfig"
SERVER = "server"

# Caption of each field, keyed by the ClusterEntry field it edits (also the widget's id).
CAPTIONS = {
    "name": "Name",
    "kubeconfig": "Kubeconfig",
    "context": "Context",
    "server": "Server URL",
    "token_file": "Token file",
    "token": "Token",
    "certificate_authority": "CA file",
    "client_certificate": "Client cert",
    "client_key": "Client key",
    "namespace": "Namespace",
    "description": "Description",
}
KUBECONFIG_FIELDS = frozenset({"kubeconfig", "context"})
SERVER_FIELDS = frozenset(
    {
        "server",
        "token_file",
        "token",
        "certificate_authority",
        "client_certificate",
        "client_key",
        "insecure_skip_tls_verify",
    }
)

TOKEN_REFUSED = (
    "not saved: tick 'store token in config' to keep a typed token, or (safer) put it in a "
    "file only you can read (chmod 600) and give that as the token file"
)


# --------------------------------------------------------------------------------------------
# The screen


class ClusterFormScreen(ModalScreen[str | None]):
    """Add a cluster (`edit=None`) or edit cluster `edit`; dismisses with the saved name."""

    class EntryLoaded(Message):
        """The entry being edited, read from the config (or why it could not be)."""

        def __init__(self, entry: ClusterEntry | None, error: str | None) -> None:
            super().__init__()
            self.entry = entry
            self.error = error

    class ContextsLoaded(Message):
        """The contexts of the kubeconfig named in the field, for the context choice."""

        def __init__(self, path_text: str, contexts: list[ContextInfo], error: str | None) -> None:
            super().__init__()
            self.path_text = path_text  # what the field said when the read started
            self.contexts = contexts
            self.error = error

    class SaveDone(Message):
        """A save finished: saved (no errors), or the errors by field."""

        def __init__(
            self,
            name: str,
            errors: dict[str, str],
            warnings: tuple[str, ...] = (),
        ) -> None:
            super().__init__()
            self.name = name
            self.errors = errors  # empty: saved
            self.warnings = warnings

    class TestDone(Message):
        """A connection test finished: whether it worked, and what to show."""

        def __init__(self, ok: bool, text: str) -> None:
            super().__init__()
            self.ok = ok
            self.text = text

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+t", "test_connection", "Test connection"),
        Binding("escape", "cancel", "Cancel"),
    ]

    DEFAULT_CLASSES = "dialog"  # the box and its border: app.tcss

    DEFAULT_CSS = """
    ClusterFormScreen > VerticalScroll {
        width: 96;
        max-width: 100%;
        height: auto;
        padding: 0 1;
    }
    ClusterFormScreen #form-title {
        text-style: bold;
    }
    ClusterFormScreen #form-path {
        color: $text-muted;
        margin-bottom: 1;
    }
    ClusterFormScreen .row {
        height: auto;
    }
    ClusterFormScreen .caption {
        width: 14;
        color: $text-muted;
    }
    ClusterFormScreen .row > Input {
        width: 1fr;
    }
    ClusterFormScreen .row > Select {
        width: 1fr;
    }
    ClusterFormScreen #mode {
        layout: horizontal;
        width: auto;
    }
    ClusterFormScreen #mode > RadioButton {
        width: auto;
        margin-right: 2;
    }
    ClusterFormScreen .sub {
        height: auto;
    }
    ClusterFormScreen .options {
        height: auto;
        padding-left: 14;
    }
    ClusterFormScreen .options > Checkbox {
        margin-right: 2;
    }
    ClusterFormScreen .field-error {
        color: $text-error;
        padding-left: 14;
        width: 100%;
    }
    ClusterFormScreen #error-form {
        padding-left: 0;
        margin-top: 1;
    }
    ClusterFormScreen #test-result {
        margin-top: 1;
        width: 100%;
    }
    ClusterFormScreen #test-result.ok {
        color: $text-success;
    }
    ClusterFormScreen #test-result.failed {
        color: $text-error;
    }
    ClusterFormScreen #buttons {
        height: auto;
        margin-top: 1;
    }
    ClusterFormScreen #buttons > Button {
        margin-right: 2;
    }
    ClusterFormScreen #form-keys {
        color: $text-muted;
    }
    """

    def __init__(
        self,
        config_path: Path,
        *,
        edit: str | None = None,
        kubeconfig: Path | None = None,
        timeout: float = 10.0,
    ) -> None:
        """`kubeconfig` is the path offered by default (`$KUBECONFIG` / ``~/.kube/config``);
        `timeout` is the connection test's request timeout (the config's setting)."""
        super().__init__()
        self.config_path = Path(config_path)
        self.editing = edit
        self.default_kubeconfig = user_paths(kubeconfig or default_kubeconfig_path())
        self.timeout = timeout
        # The entry being edited, as read from the file (a blank one when adding): fields the
        # form does not show (e.g. `enabled`) are kept from it.
        self.original = ClusterEntry(name="")
        # What each field showed after loading the entry: an unchanged field keeps the file's
        # value exactly as written (e.g. "$HOME/kube.yaml" stays that, and no line changes).
        self._initial: dict[str, str] = {}
        # The edited entry's context, applied once its kubeconfig's contexts are listed
        # (None there means "no `context` key": the kubeconfig's current-context).
        self._wanted_context: str | None = None
        self._apply_wanted_context = False
        self.loaded = edit is None
        self.busy = False

    # ---------------------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        title = f"Edit cluster {self.editing!r}" if self.editing else "Add a cluster"
        with VerticalScroll(id="form"):
            yield Static(Text(title), id="form-title")
            yield Static(Text(f"in {self.config_path}"), id="form-path")
            yield from self._field("name", Input(placeholder="unique, e.g. prod-eu"))
            with Horizontal(classes="row"):
                yield Label("Connect via", classes="caption")
                with RadioSet(id="mode", compact=True):
                    yield RadioButton("kubeconfig context", id="mode-kubeconfig", value=True)
                    yield RadioButton("API server URL", id="mode-server")
            with Vertical(id="kubeconfig-fields", classes="sub"):
                yield from self._field("kubeconfig", Input(placeholder="path to a kubeconfig"))
                yield from self._field(
                    "context",
                    Select[str]([], prompt="(the kubeconfig's current-context)", compact=True),
                )
            with Vertical(id="server-fields", classes="sub"):
                yield from self._field("server", Input(placeholder="https://host:6443"))
                yield from self._field(
                    "token_file", Input(placeholder="file holding the bearer token (preferred)")
                )
                yield from self._field(
                    "token",
                    Input(password=True, placeholder="or paste a token (a token file is safer)"),
                )
                with Horizontal(classes="options"):
                    yield Checkbox("store token in config", id="store_token", compact=True)
                yield from self._field("certificate_authority", Input(placeholder="CA bundle"))
                yield from self._field("client_certificate", Input(placeholder="mTLS (optional)"))
                yield from self._field("client_key", Input(placeholder="mTLS (optional)"))
                with Horizontal(classes="options"):
                    yield Checkbox(
                        "insecure: skip TLS verification (labs only)",
                        id="insecure_skip_tls_verify",
                        compact=True,
                    )
            with Horizontal(classes="options"):
                yield Checkbox("default (opened first)", id="default", compact=True)
                yield Checkbox("read-only", id="readonly", compact=True)
            yield from self._field("namespace", Input(placeholder="start in this namespace"))
            yield from self._field("description", Input(placeholder="shown next to the name"))
            yield Label("", id="error-form", classes="field-error", markup=False)
            yield Label("", id="test-result", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Test connection", id="test", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("ctrl+s save · ctrl+t test connection · esc cancel", id="form-keys")

    def _field(self, name: str, widget: Widget) -> ComposeResult:
        """One labelled field with its error line underneath (hidden while empty)."""
        widget.id = name
        if isinstance(widget, Input):
            widget.compact = True
        with Horizontal(classes="row"):
            yield Label(CAPTIONS[name], classes="caption")
            yield widget
        yield Label("", id=f"error-{name}", classes="field-error", markup=False)

    def on_mount(self) -> None:
        for label in self.query(".field-error"):
            label.display = False
        self.query_one("#test-result").display = False
        self._show_mode(KUBECONFIG)
        if self.editing is None:
            self._input("kubeconfig").value = self.default_kubeconfig  # loads its contexts
            self._input("name").focus()
        else:
            self.query_one("#form").loading = True
            self._load_entry(self.editing)

    # ---------------------------------------------------------------------------- helpers

    def _input(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def _checkbox(self, name: str) -> Checkbox:
        return self.query_one(f"#{name}", Checkbox)

    @property
    def context_select(self) -> Select[str]:
        return self.query_one("#context", Select)

    @property
    def mode(self) -> str:
        return SERVER if self.query_one("#mode-server", RadioButton).value else KUBECONFIG

    def set_mode(self, mode: str) -> None:
        """Switch between kubeconfig and server mode (as the radio buttons do)."""
        self.query_one(f"#mode-{mode}", RadioButton).value = True
        self._show_mode(mode)

    def _show_mode(self, mode: str) -> None:
        self.query_one("#kubeconfig-fields").display = mode == KUBECONFIG
        self.query_one("#server-fields").display = mode == SERVER

    @on(RadioSet.Changed, "#mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        self._show_mode(SERVER if event.pressed.id == "mode-server" else KUBECONFIG)

    def field_error(self, name: str) -> str:
        """The error shown under field `name` (`NO_FIELD`: the form's own line); "" if none."""
        label = self.query_one(f"#error-{name or 'form'}", Label)
        return str(label.render()) if label.display else ""

    def _set_error(self, name: str, message: str) -> None:
        label = self.query_one(f"#error-{name or 'form'}", Label)
        label.update(message)
        label.display = bool(message)

    def _clear_errors(self) -> None:
        for label in self.query(".field-error").results(Label):
            label.update("")
            label.display = False

    def _show_errors(self, errors: dict[str, str]) -> None:
        self._clear_errors()
        shown = KUBECONFIG_FIELDS if self.mode == KUBECONFIG else SERVER_FIELDS
        hidden = (KUBECONFIG_FIELDS | SERVER_FIELDS) - shown
        general: list[str] = []
        for name, message in errors.items():
            if name in hidden:
                # The other mode's fields: only a blank server URL makes the loader fall back
                # to the default kubeconfig, and "server URL required" already says that.
                continue
            if name not in CAPTIONS:
                # Not about a field on screen (the rest of the file, `enabled`, ...).
                general.append(message if name == NO_FIELD else f"{name}: {message}")
                continue
            self._set_error(name, message)
        if general:
            self._set_error(NO_FIELD, "\n".join(general))
        # Focus the topmost field with a problem, so fixing starts where reading does.
        first = next((n for n in CAPTIONS if n in errors and n not in hidden), None)
        if first is not None:
            self.query_one(f"#{first}").focus()

    # ---------------------------------------------------------------------------- loading

    @work(thread=True, exit_on_error=False, group="form-load")
    def _load_entry(self, name: str) -> None:
        try:
            entry = ConfigDocument.read(self.config_path).get(name)
        except (ConfigError, ConfigEditError) as exc:
            self.post_message(self.EntryLoaded(None, edit_error_message(exc, self.config_path)))
            return
        self.post_message(self.EntryLoaded(entry, None))

    @on(EntryLoaded)
    def _entry_loaded(self, message: ClusterFormScreen.EntryLoaded) -> None:
        self.query_one("#form").loading = False
        entry = message.entry
        if entry is None:
            self._set_error(NO_FIELD, message.error or "cannot read the cluster")
            return
        self.original = entry
        values = {
            "name": entry.name,
            "description": entry.description,
            "namespace": entry.namespace or "",
            "kubeconfig": entry.kubeconfig or self.default_kubeconfig,
            "server": entry.server or "",
            "token_file": entry.token_file or "",
            "certificate_authority": entry.certificate_authority or "",
            "client_certificate": entry.client_certificate or "",
            "client_key": entry.client_key or "",
        }
        self._initial = dict(values)
        self._wanted_context = entry.context
        self._apply_wanted_context = True
        for name, value in values.items():
            self._input(name).value = value
        # The stored token is never put into the widget: only its presence is shown.
        token = self._input("token")
        token.placeholder = (
            f"{MASK} (set): type a new token to replace it" if entry.token else token.placeholder
        )
        self._checkbox("store_token").value = bool(entry.token)
        self._checkbox("insecure_skip_tls_verify").value = entry.insecure_skip_tls_verify
        self._checkbox("default").value = entry.default
        self._checkbox("readonly").value = entry.readonly
        self.set_mode(SERVER if entry.server is not None else KUBECONFIG)
        self.loaded = True
        self._input("name").focus()

    @on(Input.Changed, "#kubeconfig")
    def _kubeconfig_changed(self, event: Input.Changed) -> None:
        path = self._resolve(event.value) if event.value.strip() else None
        self._load_contexts(event.value, path)

    @work(thread=True, exit_on_error=False, group="form-contexts", exclusive=True)
    def _load_contexts(self, path_text: str, path: Path | None) -> None:
        contexts: list[ContextInfo] = []
        error = None
        if path is not None:
            try:
                contexts = kubeconfig_contexts(path)
            except ConfigEditError as exc:
                error = str(exc)
        self.post_message(self.ContextsLoaded(path_text, contexts, error))

    def _resolve(self, text: str) -> Path:
        """The kubeconfig field's value as the loader will read it once saved."""
        text = text.strip()
        if text == self._initial.get("kubeconfig") and self.original.kubeconfig:
            # Unchanged from the file, so saved as written, and read as the loader reads it.
            return resolve_paths(text, self.config_path)
        return typed_paths(text)

    @on(ContextsLoaded)
    def _contexts_loaded(self, message: ClusterFormScreen.ContextsLoaded) -> None:
        if message.path_text != self._input("kubeconfig").value:
            return  # the field changed again since: a newer read is on its way
        self._set_error("kubeconfig", message.error or "")
        select = self.context_select
        current = select.value if isinstance(select.value, str) else None
        names = [c.name for c in message.contexts]
        options: list[tuple[Text, str]] = [(_context_label(c), c.name) for c in message.contexts]
        editing_first = self._apply_wanted_context
        self._apply_wanted_context = False
        wanted = self._wanted_context if editing_first else None
        if wanted is not None and wanted not in names:
            # The entry's context is gone from the file (or the file is): keep it visible and
            # chosen, so saving says so next to the field rather than picking another cluster.
            options.append((Text(f"{wanted}  (not in this kubeconfig)", style="red"), wanted))
            names.append(wanted)
        select.set_options(options)
        if editing_first:
            # As in the file: a context not listed is shown (above); no context stays blank.
            if wanted is not None:
                select.value = wanted
        elif current in names:
            select.value = current
        else:
            # A new entry names the current-context explicitly: a later `kubectl use-context`
            # must not silently turn this cluster into another one.
            chosen = next((c.name for c in message.contexts if c.current), None)
            if chosen is not None:
                select.value = chosen

    # ---------------------------------------------------------------------------- the entry

    def _text(self, name: str) -> str:
        return self._input(name).value.strip()

    def _unchanged(self, name: str) -> bool:
        return name in self._initial and self._input(name).value == self._initial[name]

    def _optional(self, name: str) -> str | None:
        if self._unchanged(name):
            return getattr(self.original, name)  # as written in the file, to the byte
        return self._text(name) or None

    def _path(self, name: str) -> str | None:
        if self._unchanged(name):
            return getattr(self.original, name)  # e.g. "$HOME/x" or a relative path stays
        text = self._text(name)
        if name == "kubeconfig":
            return user_paths(text) if text else None  # may be a list, as in KUBECONFIG
        return user_path(text) if text else None

    def collect(self) -> tuple[ClusterEntry, dict[str, str], str | None]:
        """The entry the form describes, problems found without the file, and the token to
        test a connection with (typed or stored, whether or not it will be saved)."""
        problems: dict[str, str] = {}
        base = self.original
        common: dict[str, Any] = {
            "name": self._optional("name") or "",
            "description": self._optional("description") or "",
            "namespace": self._optional("namespace"),
            "default": self._checkbox("default").value,
            "readonly": self._checkbox("readonly").value,
        }
        test_token: str | None = None
        if self.mode == KUBECONFIG:
            select = self.context_select
            entry = base.replace(
                **common,
                kubeconfig=self._path("kubeconfig"),
                context=select.value if isinstance(select.value, str) else None,
                server=None,
                token=None,
                token_file=None,
                certificate_authority=None,
                client_certificate=None,
                client_key=None,
                insecure_skip_tls_verify=False,
            )
        else:
            typed = self._input("token").value.strip()
            store = self._checkbox("store_token").value
            if typed and not store:
                problems["token"] = TOKEN_REFUSED
            # Ticked: the typed token, else the stored one kept. Unticked: no token in the file
            # (this is how a stored token is taken out, e.g. after moving it to a token file).
            token = (typed or base.token) if store else None
            test_token = typed or base.token
            if not self._text("server"):
                problems["server"] = "a server URL is required, e.g. https://host:6443"
            entry = base.replace(
                **common,
                kubeconfig=None,
                context=None,
                server=self._optional("server"),
                token=token,
                token_file=self._path("token_file"),
                certificate_authority=self._path("certificate_authority"),
                client_certificate=self._path("client_certificate"),
                client_key=self._path("client_key"),
                insecure_skip_tls_verify=self._checkbox("insecure_skip_tls_verify").value,
            )
        return entry, problems, test_token

    # ---------------------------------------------------------------------------- saving

    def action_save(self) -> None:
        if self.busy or not self.loaded:
            return
        entry, problems, _ = self.collect()
        self.busy = True
        self._set_error(NO_FIELD, "")
        self._save(entry, self.editing, problems)

    @work(thread=True, exit_on_error=False, group="form-save", exclusive=True)
    def _save(self, entry: ClusterEntry, replacing: str | None, problems: dict[str, str]) -> None:
        path = self.config_path
        # Validation reads the file and kubeconfigs: it belongs here, off the UI thread.
        errors = validate_entry(entry, path, replacing=replacing)
        errors.update(problems)  # our own refusal (a typed token) wins over the loader's view
        if errors:
            self.post_message(self.SaveDone(entry.name, errors))
            return

        def edit(doc: ConfigDocument) -> None:
            if replacing is None:
                doc.add_cluster(entry)
            else:
                doc.update_cluster(replacing, entry)

        result, error = run_edit(path, edit)
        if result is None:
            self.post_message(
                self.SaveDone(entry.name, {NO_FIELD: scrub(error or "", entry.token)})
            )
            return
        self.post_message(self.SaveDone(entry.name, {}, result.warnings))

    @on(SaveDone)
    def _save_done(self, message: ClusterFormScreen.SaveDone) -> None:
        self.busy = False
        if message.errors:
            self._show_errors(message.errors)  # the user's input stays as it is
            return
        verb = "Saved" if self.editing else "Added"
        self.app.notify(f"{verb} cluster {message.name!r} in {self.config_path}")
        for warning in message.warnings:
            self.app.notify(warning, severity="warning", timeout=10)
        self.dismiss(message.name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # exit_on_error=False keeps the app alive; the form still has to say what happened.
        if event.state != WorkerState.ERROR:
            return
        self.busy = False
        self.query_one("#form").loading = False
        error = event.worker.error
        self._set_error(NO_FIELD, scrub(f"unexpected error: {error}", self.collect()[2]))

    # ---------------------------------------------------------------------------- testing

    def action_test_connection(self) -> None:
        if not self.loaded:
            return
        entry, _, token = self.collect()
        result = self.query_one("#test-result", Label)
        result.set_classes("")
        result.update(f"testing {entry.server or entry.context or 'the connection'}…")
        result.display = True
        self._test(entry.replace(token=token) if self.mode == SERVER else entry)

    @work(thread=True, exit_on_error=False, group="form-test", exclusive=True)
    def _test(self, entry: ClusterEntry) -> None:
        secret = entry.token
        try:
            spec = spec_for(entry, self.config_path)
        except ConfigError as exc:
            self.post_message(self.TestDone(False, scrub(f"cannot test: {exc}", secret)))
            return
        if spec.error:
            self.post_message(self.TestDone(False, scrub(f"cannot test: {spec.error}", secret)))
            return
        client = None
        try:
            client = build_client(spec, self.timeout)
            result = probe(client)
            server = client.server
        except Exception as exc:  # building can fail many ways; all are a test result
            result, server = classify_error(exc), spec.server or ""
        finally:
            if client is not None:
                client.close()
        if result.health == Health.OK:
            text = f"connected to {server}: Kubernetes {result.version}"
        else:
            text = f"{result.health}: {result.error}"
        self.post_message(self.TestDone(result.health == Health.OK, scrub(text, secret)))

    @on(TestDone)
    def _test_done(self, message: ClusterFormScreen.TestDone) -> None:
        label = self.query_one("#test-result", Label)
        label.update(message.text)
        label.set_classes("ok" if message.ok else "failed")
        label.display = True

    # ---------------------------------------------------------------------------- buttons

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#test")
    def _test_pressed(self) -> None:
        self.action_test_connection()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)


def _context_label(context: ContextInfo) -> Text:
    text = Text(context.name)
    where = " @ ".join(p for p in (context.cluster, context.server) if p)
    if where:
        text.append(f"  {where}", style="dim")
    if context.current:
        text.append("  (current)", style="italic")
    return text
