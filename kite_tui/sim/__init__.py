"""A Kubernetes API simulator: a real HTTP server on loopback (no Textual import).

Start one with :class:`SimServer` (``with SimServer(scenario=Scenario(pods=50)) as sim``),
point any client at ``sim.write_kubeconfig(path)``, and switch faults with
``sim.faults`` or ``POST /_sim/faults``. See ``README.md`` next to this file.

Modules: ``server`` (SimServer), ``http`` (listener, connections, framing, faults,
auth), ``api`` (routing, list/get/watch/logs/metrics/writes), ``store`` (objects,
resourceVersions, history, watchers), ``resources`` (resource types), ``discovery``,
``tables`` (kubectl's printers), ``selectors``, ``logs``, ``metrics``, ``faults``,
``objects`` (object builders), ``scenario`` (generated clusters, file loading),
``churn``, ``demo`` (the demo fleet) and ``cli`` (the ``sim`` / ``demo`` commands).
"""

from kite_tui.sim.scenario import Scenario, load_objects
from kite_tui.sim.server import SimServer
from kite_tui.sim.store import ObjectStore

__all__ = ["ObjectStore", "Scenario", "SimServer", "load_objects"]
