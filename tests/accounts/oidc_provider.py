"""A real OpenID Connect provider for the tests: oidc-provider-mock on 127.0.0.1, in a thread.

The provider is the package's own Flask app, with its own keys, discovery document, token
endpoint and end-session endpoint; clients must register (`require_client_registration`), with
our callback as their redirect URI. A thin WSGI layer in front can spoil the signature of the
next ID token the token endpoint hands out (`tamper_next_id_token`), the way a forger or a
broken proxy would: the provider itself stays untouched.
"""

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import oidc_provider_mock
import requests
import werkzeug.serving

TIMEOUT = 5


class _TamperingLayer:
    """Passes every request to the provider; flips a character of the next ID token's signature."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.tamper_next = False

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not (self.tamper_next and environ.get("PATH_INFO") == "/oauth2/token"):
            return self.app(environ, start_response)
        self.tamper_next = False
        answered: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            answered.update(status=status, headers=headers)

        body = json.loads(b"".join(self.app(environ, keep)))
        header, payload, signature = body["id_token"].split(".")
        flipped = ("B" if signature[10] == "A" else "A") + signature[11:]
        body["id_token"] = f"{header}.{payload}.{signature[:10]}{flipped}"
        data = json.dumps(body).encode()
        headers = [(k, v) for k, v in answered["headers"] if k.lower() != "content-length"]
        start_response(answered["status"], [*headers, ("Content-Length", str(len(data)))])
        return [data]


@dataclass
class Provider:
    url: str
    layer: _TamperingLayer
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)

    def register(self, redirect_uri: str) -> tuple[str, str]:
        """A client id and secret for `redirect_uri` (once per URI)."""
        if redirect_uri not in self.clients:
            answer = requests.post(
                f"{self.url}/oauth2/clients", json={"redirect_uris": [redirect_uri]}, timeout=TIMEOUT
            )
            answer.raise_for_status()
            self.clients[redirect_uri] = (answer.json()["client_id"], answer.json()["client_secret"])
        return self.clients[redirect_uri]

    def set_user(self, sub: str, **claims: Any) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=TIMEOUT).raise_for_status()

    def log_in(self, authorize_url: str, sub: str) -> str:
        """Fill in the provider's login form as `sub`; returns where it sends the browser back to."""
        assert authorize_url.startswith(self.url), authorize_url
        answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=TIMEOUT)
        assert answer.status_code in (302, 303), answer.text
        return str(answer.headers["Location"])

    def deny(self, authorize_url: str) -> str:
        answer = requests.post(authorize_url, data={"action": "deny"}, allow_redirects=False, timeout=TIMEOUT)
        assert answer.status_code in (302, 303), answer.text
        return str(answer.headers["Location"])

    def tamper_next_id_token(self) -> None:
        self.layer.tamper_next = True


@contextmanager
def running_provider() -> Iterator[Provider]:
    layer = _TamperingLayer(oidc_provider_mock.app(require_client_registration=True, require_nonce=True))
    server = werkzeug.serving.make_server("127.0.0.1", 0, layer, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Provider(url=f"http://127.0.0.1:{server.server_port}", layer=layer)
    finally:
        server.shutdown()
        thread.join(2)
        server.server_close()
