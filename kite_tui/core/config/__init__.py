"""The cluster config: TOML on disk <-> frozen `ClusterSpec` / `Settings` values, and careful
edits of that file.

One module per idea:

* `model`: `Settings`, `ClusterSpec`, `Config`, the keys a file may hold, and the problem and
  error types (`ConfigIssue`, `ConfigError`, `ConfigEditError`, ...);
* `paths`: where the config and the kubeconfig are, and how a path written in the config or
  typed by the user is read;
* `kubeconfig`: the one reader of kubeconfig files (its contexts, a cheap check);
* `load`: text -> validated `Config` (`parse_config`, `load_config`, `check_config`);
* `document`: `ConfigDocument`, the file as a comment-preserving document to edit;
* `validate`: the problems one entry would have once saved, by field (for forms);
* `save`: the safe write (`save`) and the read -> edit -> save cycle (`apply_edit`);
* `editor`: handing the file to ``$VISUAL`` / ``$EDITOR``.

Everything public is re-exported here: ``from kite_tui.core.config import ClusterSpec``. This
package never imports `kite_tui.core.kube` (a test checks): the config knows nothing of clients.
"""

from kite_tui.core.config.document import (
    ClusterEntry,
    ConfigDocument,
    FileSignature,
    ImportResult,
    SkippedContext,
    import_contexts,
    sanitize_name,
)
from kite_tui.core.config.editor import Editor, EditorError, create_if_missing
from kite_tui.core.config.kubeconfig import (
    ContextInfo,
    Kubeconfig,
    KubeconfigUnreadable,
    kubeconfig_contexts,
    load_kubeconfig,
    read_kubeconfig,
)
from kite_tui.core.config.load import check_config, load_config, parse_config
from kite_tui.core.config.model import (
    CLUSTER_KEYS,
    CONNECTION_KEYS,
    MASK,
    PATH_KEYS,
    SETTINGS_KEYS,
    ClusterSpec,
    Config,
    ConfigChangedOnDisk,
    ConfigEditError,
    ConfigError,
    ConfigIssue,
    InvalidEdit,
    Settings,
    scrub,
)
from kite_tui.core.config.paths import (
    ENV_CONFIG,
    default_config_path,
    default_kubeconfig_path,
    path_list,
    resolve_config_path,
    resolve_path,
    resolve_paths,
    typed_path,
    typed_paths,
    user_path,
    user_paths,
)
from kite_tui.core.config.save import (
    EditResult,
    apply_edit,
    backup_path,
    edit_error_message,
    save,
)
from kite_tui.core.config.validate import NO_FIELD, spec_for, validate_entry

__all__ = [
    "CLUSTER_KEYS",
    "CONNECTION_KEYS",
    "ENV_CONFIG",
    "MASK",
    "NO_FIELD",
    "PATH_KEYS",
    "SETTINGS_KEYS",
    "ClusterEntry",
    "ClusterSpec",
    "Config",
    "ConfigChangedOnDisk",
    "ConfigDocument",
    "ConfigEditError",
    "ConfigError",
    "ConfigIssue",
    "ContextInfo",
    "EditResult",
    "Editor",
    "EditorError",
    "FileSignature",
    "ImportResult",
    "InvalidEdit",
    "Kubeconfig",
    "KubeconfigUnreadable",
    "Settings",
    "SkippedContext",
    "apply_edit",
    "backup_path",
    "check_config",
    "create_if_missing",
    "default_config_path",
    "default_kubeconfig_path",
    "edit_error_message",
    "import_contexts",
    "kubeconfig_contexts",
    "load_kubeconfig",
    "load_config",
    "parse_config",
    "read_kubeconfig",
    "resolve_config_path",
    "path_list",
    "resolve_path",
    "resolve_paths",
    "sanitize_name",
    "save",
    "scrub",
    "spec_for",
    "typed_path",
    "typed_paths",
    "user_path",
    "user_paths",
    "validate_entry",
]
