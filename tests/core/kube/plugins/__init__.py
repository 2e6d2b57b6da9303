"""The exec credential plugin of the tests (credential.py here) and what tests need of it:
`Plugin` makes the ``get-token`` command that runs it, kubeconfigs that use it, and reads
the log of its runs; `alive` / `live_pids` say which of its processes still run."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from kite_tui.sim.server import SimServer

PLUGIN = Path(__file__).parent / "credential.py"
V1 = "client.authentication.k8s.io/v1"
V1BETA1 = "client.authentication.k8s.io/v1beta1"


class Plugin:
    """The test's ``get-token`` command, its run log, and kubeconfigs that use it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.command = tmp / "bin" / "get-token"
        self.command.parent.mkdir()
        self.command.write_text(
            f"#!{sys.executable}\nimport runpy\n"
            f"runpy.run_path({str(PLUGIN)!r}, run_name='__main__')\n"
        )
        self.command.chmod(0o755)
        self.log = tmp / "plugin-runs.jsonl"

    def runs(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def kubeconfig(
        self,
        sim: SimServer,
        *,
        api: str = V1,
        env: dict[str, str] | None = None,
        command: str | None = None,
        cluster: dict[str, Any] | None = None,
        name: str = "kubeconfig",
        **exec_fields: Any,
    ) -> Path:
        doc = sim.kubeconfig()
        exec_config: dict[str, Any] = {
            "apiVersion": api,
            "command": command or str(self.command),
            "env": [
                {"name": k, "value": v}
                for k, v in {"PLUGIN_LOG": str(self.log), **(env or {})}.items()
            ],
        }
        if api == V1:
            exec_config["interactiveMode"] = "Never"
        exec_config.update(exec_fields)
        doc["users"][0]["user"] = {"exec": exec_config}
        doc["clusters"][0]["cluster"].update(cluster or {})
        path = self.tmp / name
        path.write_text(yaml.safe_dump(doc))
        return path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie is dead
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def live_pids(plugin: Plugin) -> list[int]:
    return [r["pid"] for r in plugin.runs() if alive(r["pid"])]
