"""Helpers for the sweeper tests: the cast, sample files, publishing through the gate's own rules, and local SMTP
and webhook receivers. (A module of its own: test modules importing from `conftest` could get another folder's.)"""

from __future__ import annotations

import http.server
import json
import socketserver
import threading

import pytest

from support.gate import CONSENT, WHY_OLGA, WHY_OMAR
from veil.workflow import accounts, approvals, publishing, releases
from veil.workflow.gate import Gate
from veil.workflow.scanning import drain

CAST = {"alice": ["submitter"], "bob": ["reviewer"], "carol": ["reviewer"], "paul": ["publisher"],
        "irene": ["incident_responder"], "audrey": ["auditor"]}
LEAKING = b"Case notes\nLEAK GARCIA, Jose A123456789 asylum\n"
BENIGN = b"Quarterly statistics: 1,204 applications received.\n"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]



def publish_files(gate: Gate, files: dict[str, bytes], target: str = "stats/2024") -> list[str]:
    """Submit, scan, approve twice and publish `files`; returns the public paths."""
    with gate.db.write() as s:
        alice = accounts.get_user(s, "alice")
        release = releases.create_release(s, alice, "Statistics", target, "")
        for name, data in files.items():
            releases.add_file(s, gate.blobs, release, alice, name, data)
        release_id = release.id
    drain(gate.db, gate.blobs, gate.scanner, gate.policy)
    with gate.db.read() as s:
        shas = [f.sha256 for f in releases.current_files(s, release_id)]
    for who in ("bob", "carol"):
        with gate.db.write() as s:
            approvals.approve(s, releases.get_release(s, release_id), accounts.get_user(s, who), shas)
    with gate.db.write() as s:
        pubs = publishing.publish(s, gate.blobs, gate.site, releases.get_release(s, release_id),
                                  accounts.get_user(s, "paul"))
        return [p.path for p in pubs]


def publish_under_override(gate: Gate) -> int:
    """A release of a leaking file published under two authorising officials' override (and a clean file with two
    reviewers' approvals), through the gate's own rules; returns the release id."""
    with gate.db.write() as s:
        for name in ("olga", "omar"):
            accounts.create_user(s, name, "correct horse battery", ["authorising_official"], actor="setup")
        alice = accounts.get_user(s, "alice")
        release = releases.create_release(s, alice, "Detention statistics", "stats/2022", "")
        releases.add_file(s, gate.blobs, release, alice, "detention.txt", LEAKING)
        releases.add_file(s, gate.blobs, release, alice, "summary.txt", BENIGN)
        rid = release.id
    drain(gate.db, gate.blobs, gate.scanner, gate.policy)
    with gate.db.read() as s:
        shas = {f.name: f.sha256 for f in releases.current_files(s, rid)}
    steps = [("olga", [shas["detention.txt"]], WHY_OLGA, CONSENT), ("omar", [shas["detention.txt"]], WHY_OMAR, CONSENT),
             ("bob", [shas["summary.txt"]], "", ""), ("carol", [shas["summary.txt"]], "", "")]
    for who, chosen, why, basis in steps:
        with gate.db.write() as s:
            approvals.approve(s, releases.get_release(s, rid), accounts.get_user(s, who), chosen, why, basis)
    with gate.db.write() as s:
        publishing.publish(s, gate.blobs, gate.site, releases.get_release(s, rid), accounts.get_user(s, "paul"))
    return int(rid)


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, accept any command, collect the DATA."""

    def handle(self) -> None:
        def say(text: str) -> None:
            self.wfile.write(text.encode() + b"\r\n")

        say("220 test ESMTP")
        in_data, lines = False, []
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if line == ".":
                    in_data = False
                    self.server.messages.append("\n".join(lines))  # type: ignore[attr-defined]
                    lines = []
                    say("250 queued")
                else:
                    lines.append(line[1:] if line.startswith("..") else line)
                continue
            verb = line[:4].upper()
            if verb == "DATA":
                in_data = True
                say("354 go ahead")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 ok")


class Receivers:
    def __init__(self) -> None:
        self.smtp = _Server(("127.0.0.1", 0), _SMTPHandler)
        self.smtp.messages = []  # type: ignore[attr-defined]
        received: list[dict[str, object]] = []

        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.webhook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        self.hooks = received
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (self.smtp, self.webhook)]
        for t in self._threads:
            t.start()

    @property
    def mails(self) -> list[str]:
        return self.smtp.messages  # type: ignore[attr-defined, no-any-return]

    @property
    def smtp_port(self) -> int:
        return int(self.smtp.server_address[1])

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook.server_address[1]}/hook"

    def close(self) -> None:
        for server in (self.smtp, self.webhook):
            server.shutdown()
            server.server_close()
