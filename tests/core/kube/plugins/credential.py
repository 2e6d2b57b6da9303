#!/usr/bin/env python3
"""An exec credential plugin for the tests, steered by its environment (the kubeconfig's
``env``) and arguments, as kubectl and the app run it.

Every run appends one JSON line to $PLUGIN_LOG (its KUBERNETES_EXEC_INFO, argv, whether
stdin is a terminal, its pid, the expiry it gives), then answers a token
``<prefix>-<run number>`` (``--prefix``, default ``tok``) expiring in $PLUGIN_EXPIRES
seconds (none if unset; negative: already expired).
$PLUGIN_MODE changes that: ``fail`` (exit 1), ``garbage``, ``wrong-api``, ``empty``,
``huge`` (60 MB), ``hang`` (never answers), ``prompt`` (asks for a password on stdin);
$PLUGIN_CERT and $PLUGIN_KEY (PEM files): a client certificate instead of the token.
$PLUGIN_STDERR is written to stderr first.
"""

import datetime
import json
import os
import sys
import time

log = os.environ.get("PLUGIN_LOG")
info = json.loads(os.environ.get("KUBERNETES_EXEC_INFO") or "{}")
expires = None
if os.environ.get("PLUGIN_EXPIRES"):
    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=float(os.environ["PLUGIN_EXPIRES"])
    )
run = 1
if log:
    with open(log, "a+") as f:
        f.seek(0)
        run = len(f.readlines()) + 1
        record = {"info": info, "argv": sys.argv[1:], "tty": os.isatty(0), "pid": os.getpid()}
        if expires is not None:
            record["expires"] = expires.timestamp()
        f.write(json.dumps(record) + "\n")
prefix = sys.argv[sys.argv.index("--prefix") + 1] if "--prefix" in sys.argv else "tok"
mode = os.environ.get("PLUGIN_MODE", "")
if os.environ.get("PLUGIN_STDERR"):
    sys.stderr.write(os.environ["PLUGIN_STDERR"] + "\n")
    sys.stderr.flush()
if mode == "fail":
    sys.exit(1)
if mode == "hang":
    while True:
        time.sleep(60)
if mode == "prompt":
    sys.stderr.write("Password: ")
    sys.stderr.flush()
    if not sys.stdin.readline():
        sys.stderr.write("no password given\n")
        sys.exit(2)
if mode == "garbage":
    print("<html>login required</html>")
    sys.exit(0)
if mode == "huge":
    chunk = "x" * (1024 * 1024)
    for _ in range(60):
        sys.stdout.write(chunk)
    sys.exit(0)
api = info.get("apiVersion", "client.authentication.k8s.io/v1")
if mode == "wrong-api":
    api = "client.authentication.k8s.io/v1alpha1"
status = {"token": f"{prefix}-{run}"}
if os.environ.get("PLUGIN_CERT"):  # a client certificate instead of a token
    with open(os.environ["PLUGIN_CERT"]) as c, open(os.environ["PLUGIN_KEY"]) as k:
        status = {"clientCertificateData": c.read(), "clientKeyData": k.read()}
if mode == "empty":
    status = {}
if expires is not None:
    status["expirationTimestamp"] = expires.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
print(json.dumps({"apiVersion": api, "kind": "ExecCredential", "status": status}))
