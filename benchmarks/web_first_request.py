"""How long the first requests take after `veil serve` opens its port (issue 16: "the first request took 8-11 s").

    uv run python benchmarks/web_first_request.py [--public-people N] [--port P]

Starts `veil serve` on a fresh data directory with one user (and, with --public-people, the demo files of that
many people on its public site, so the start-up sweep has work), waits until the port accepts connections, then
times the first and second GET /login, the login itself, the release list and the first GET /api/docs.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

PASSWORD = "correct horse battery"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--public-people", type=int, default=0)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="veil-first-")
    veil = ["uv", "run", "--no-sync", "veil"]
    subprocess.run([*veil, "admin", "create-user", "root", "--role", "admin", "--role", "submitter",
                    "--data-dir", data], check=True, capture_output=True, env={**os.environ, "VEIL_PASSWORD": PASSWORD})
    if args.public_people:
        subprocess.run([*veil, "demo-files", os.path.join(data, "public", "demo"), "--people",
                        str(args.public_people)], check=True, capture_output=True)
    started = time.monotonic()
    server = subprocess.Popen([*veil, "serve", "--data-dir", data, "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    base = f"http://127.0.0.1:{args.port}"

    def timed(label: str, request: str | urllib.request.Request) -> str:
        begin = time.monotonic()
        body = opener.open(request, timeout=120).read().decode()
        print(f"{label:24} {time.monotonic() - begin:6.2f} s")
        return body

    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() - started > 300:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.02)
        print(f"{'port open after':24} {time.monotonic() - started:6.2f} s")
        timed("GET /login (first)", f"{base}/login")
        page = timed("GET /login (second)", f"{base}/login")  # its login CSRF cookie is the one kept
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        assert match
        form = urllib.parse.urlencode({"username": "root", "password": PASSWORD, "csrf": match.group(1)})
        timed("POST /login -> /releases", urllib.request.Request(f"{base}/login", data=form.encode()))
        timed("GET /releases/new", f"{base}/releases/new")
        timed("GET /api/docs (first)", f"{base}/api/docs")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
