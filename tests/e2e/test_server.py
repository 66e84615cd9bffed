"""The server contract: `python wsgi.py` on HOST/PORT, /healthz, and the WebSocket origin check."""
import json
import urllib.error
import urllib.request


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_python_wsgi_serves_health(server):
    status, body = _get(f"{server.url}/healthz")
    assert status == 200
    assert json.loads(body)["database"] == "ok"


def test_foreign_origin_handshake_is_refused(server):
    url = f"{server.url}/socket.io/?EIO=4&transport=polling"
    status, _ = _get(url, {"Origin": "http://evil.example"})
    assert status == 400
    status, body = _get(url, {"Origin": server.url})
    assert status == 200 and b'"sid"' in body


def test_a_second_server_on_a_taken_port_refuses_to_start(server):
    """eventlet listens with SO_REUSEPORT: without the check a second server would share the
    port silently and requests would go to either."""
    import subprocess
    import sys
    from .conftest import ROOT
    out = subprocess.run([sys.executable, "wsgi.py"], cwd=ROOT,
                         env=server.env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "already in use" in (out.stderr + out.stdout)
    assert _get(f"{server.url}/healthz")[0] == 200
