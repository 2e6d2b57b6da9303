"""The ``oidc`` auth-provider of a kubeconfig user: its id-token, refreshed as kubectl does.

kubectl sends the user's ``id-token``; once that token's ``exp`` has passed it trades the
``refresh-token`` at the issuer (``idp-issuer-url``'s discovery document names the token
endpoint) for a new id-token, and writes the new tokens back into the kubeconfig file that
defines the user. Issuers rotate refresh tokens, so a refresh that is not written back would
leave kubectl (and our next start) with a used one.

The `kubernetes` client's own loader does not do: it refreshes only while building the
client (never when the token expires later), over plain HTTP never (oauthlib refuses it
even for a test issuer), with no timeout on either request, requires a client secret, and
writes nothing back. So the loader is given the id-token as a plain token, and
`OidcToken` keeps it fresh before every request, with timeouts, off the UI thread (requests
run in workers). Never a token in a message.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import os
import tempfile
import threading
import urllib.parse
from pathlib import Path
from typing import Any

import urllib3
import yaml

from kite_tui.core.kube.errors import ClientError
from kite_tui.core.snapshot import Health

# A token this close to its expiry is refreshed (the request it is for would race it).
EXPIRY_SKEW = datetime.timedelta(seconds=10)


class OidcRefreshFailed(ClientError):
    """The issuer did not give a new id-token; the text names the kubeconfig and user."""

    def __init__(self, message: str, health: Health = Health.UNAUTHORIZED) -> None:
        super().__init__(message)
        self.health = health


def token_expiry(token: str) -> datetime.datetime | None:
    """The ``exp`` of a JWT (None when it has none or is not a JWT: used as it is)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        exp = claims.get("exp") if isinstance(claims, dict) else None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return None
    return datetime.datetime.fromtimestamp(exp, tz=datetime.UTC)


class OidcToken:
    """One user's oidc tokens: `bearer()` is a valid id-token, refreshed when needed.

    `settings` is the user's ``auth-provider.config`` (a copy of it: refreshed tokens are
    kept there). `origin` is the kubeconfig file that defines the user, where refreshed
    tokens are written back; `where` names the file and user in messages.
    """

    def __init__(
        self, settings: dict[str, Any], *, user: str, origin: Path, timeout: float
    ) -> None:
        self.settings = settings
        self.user = user
        self.origin = origin
        self.where = f"kubeconfig {origin}: user {user!r}"
        self.timeout = timeout
        self.refreshes = 0
        self._lock = threading.Lock()

    def expired(self) -> bool:
        token = self.settings.get("id-token")
        if not isinstance(token, str) or not token:
            return True
        expiry = token_expiry(token)
        now = datetime.datetime.now(tz=datetime.UTC)
        return expiry is not None and expiry - EXPIRY_SKEW <= now

    def bearer(self) -> str:
        """The id-token to send, refreshed first when it has expired (one refresh at a time:
        threads that wait for it use its result)."""
        if self.expired():
            with self._lock:
                if self.expired():
                    self._refresh()
        return str(self.settings["id-token"])

    def hook(self, configuration: Any) -> None:
        """For `Configuration.refresh_api_key_hook`: runs before every request."""
        configuration.api_key["BearerToken"] = f"Bearer {self.bearer()}"

    # ------------------------------------------------------------------ the refresh
    def _refresh(self) -> None:
        cfg = self.settings
        issuer, refresh = cfg.get("idp-issuer-url"), cfg.get("refresh-token")
        client_id = cfg.get("client-id")
        if not (isinstance(issuer, str) and issuer and isinstance(refresh, str) and refresh):
            raise OidcRefreshFailed(
                f"{self.where}: the oidc id-token has expired and there is no refresh-token "
                "and idp-issuer-url to renew it; log in again (as for kubectl)"
            )
        if not isinstance(client_id, str) or not client_id:
            raise OidcRefreshFailed(f"{self.where}: oidc needs client-id to refresh the id-token")
        at = f"{self.where}: refreshing the oidc id-token at {issuer}"
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            retries=False,
            **self._trust(),
        )
        try:
            discovery = _json(
                http.request("GET", f"{issuer.rstrip('/')}/.well-known/openid-configuration"),
                at,
            )
            endpoint = discovery.get("token_endpoint")
            if not isinstance(endpoint, str) or not endpoint:
                raise OidcRefreshFailed(f"{at}: its discovery document has no token_endpoint")
            form = {"grant_type": "refresh_token", "refresh_token": refresh}
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            secret = cfg.get("client-secret")
            if isinstance(secret, str) and secret:
                pair = f"{urllib.parse.quote_plus(client_id)}:{urllib.parse.quote_plus(secret)}"
                headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
            else:
                form["client_id"] = client_id  # a public client
            answer = _json(
                http.request("POST", endpoint, body=urllib.parse.urlencode(form), headers=headers),
                at,
            )
        except urllib3.exceptions.HTTPError as exc:
            raise OidcRefreshFailed(
                f"{at} failed: {type(exc).__name__}", Health.UNREACHABLE
            ) from None
        finally:
            http.clear()
        id_token = answer.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise OidcRefreshFailed(f"{at}: the issuer's answer has no id_token")
        cfg["id-token"] = id_token
        new_refresh = answer.get("refresh_token")
        if isinstance(new_refresh, str) and new_refresh:
            cfg["refresh-token"] = new_refresh
        self.refreshes += 1
        self._write_back()

    def _trust(self) -> dict[str, Any]:
        data = self.settings.get("idp-certificate-authority-data")
        if isinstance(data, str) and data:
            try:
                pem = base64.b64decode(data).decode()
            except (ValueError, binascii.Error, UnicodeDecodeError):
                raise OidcRefreshFailed(
                    f"{self.where}: idp-certificate-authority-data is not base64 PEM"
                ) from None
            return {"cert_reqs": "CERT_REQUIRED", "ca_cert_data": pem}
        file = self.settings.get("idp-certificate-authority")
        if isinstance(file, str) and file:
            path = file if os.path.isabs(file) else str(self.origin.parent / file)
            return {"cert_reqs": "CERT_REQUIRED", "ca_certs": path}
        return {}

    def _write_back(self) -> None:
        """The new tokens into the user's own kubeconfig file, as kubectl writes them (the
        whole file re-written; atomically, its mode kept). A file that cannot be written is
        left as it is: the new tokens still serve this client."""
        try:
            doc = yaml.safe_load(self.origin.read_text(encoding="utf-8"))
            users = doc.get("users") if isinstance(doc, dict) else None
            entry = next(
                (u for u in users or [] if isinstance(u, dict) and u.get("name") == self.user),
                None,
            )
            config = (((entry or {}).get("user") or {}).get("auth-provider") or {}).get("config")
            if not isinstance(config, dict):
                return
            for key in ("id-token", "refresh-token"):
                if key in self.settings:
                    config[key] = self.settings[key]
            mode = self.origin.stat().st_mode & 0o777
            fd, tmp = tempfile.mkstemp(dir=self.origin.parent, prefix=f".{self.origin.name}.")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    yaml.safe_dump(doc, f, sort_keys=False)
                os.chmod(tmp, mode)
                os.replace(tmp, self.origin)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, yaml.YAMLError, AttributeError):
            return


def _json(response: Any, at: str) -> dict[str, Any]:
    try:
        doc = json.loads(response.data or b"null")
    except ValueError:
        doc = None
    if response.status != 200:
        if isinstance(doc, dict) and isinstance(doc.get("error"), str):
            said = doc["error"]
            if isinstance(doc.get("error_description"), str):
                said += f": {doc['error_description']}"
        else:
            said = f"HTTP {response.status}"
        health = Health.UNAUTHORIZED if response.status in (400, 401) else Health.UNREACHABLE
        raise OidcRefreshFailed(f"{at} failed: {said}", health)
    if not isinstance(doc, dict):
        raise OidcRefreshFailed(f"{at}: the issuer did not answer with a JSON object")
    return doc


def take_oidc(config_dict: dict[str, Any], *, origin: Path, timeout: float) -> OidcToken | None:
    """For the loader's one-context `config_dict`: an `OidcToken` for its user when that user
    has an ``oidc`` auth-provider, whose place the current id-token then takes (refreshed if
    it has expired; the loader sends it as a plain token). None for any other user."""
    users = config_dict.get("users") or []
    entry = users[0] if users and isinstance(users[0], dict) else {}
    user = entry.get("user")
    provider = user.get("auth-provider") if isinstance(user, dict) else None
    if not isinstance(provider, dict) or provider.get("name") != "oidc":
        return None
    settings = provider.get("config")
    token = OidcToken(
        settings if isinstance(settings, dict) else {},
        user=str(entry.get("name")),
        origin=origin,
        timeout=timeout,
    )
    assert isinstance(user, dict)
    del user["auth-provider"]
    user["token"] = token.bearer()
    return token
