"""A fault-injecting HTTP proxy in front of the emulator, for connect-guard's collector tests.

Loopback only. Every request is forwarded to the emulator, except that with probability
--rate (from a seeded random stream, so a run can be repeated) one fault is injected instead,
chosen evenly among:

- ``500``: an InternalFailure answer in the service's own error shape;
- ``throttle``: a throttling answer in the service's own error shape (awsQuery XML for IAM and
  STS, ``TooManyRequestsException`` JSON for Organizations, ``ThrottlingException`` with
  HTTP 429 for Connect);
- ``reset``: the connection is closed without an answer;
- ``delay``: the answer is forwarded after 0.2 s;
- ``cut``: the answer's body is cut in half and the connection closed, with the original
  ``Content-Length`` kept;
- ``cut-length``: the body is cut in half and ``Content-Length`` rewritten to match, so only
  the body itself shows it is incomplete.

Usage: fault_proxy.py --target http://127.0.0.1:PORT --rate 0.2 --seed 7 --port-file FILE
Prints nothing; writes the chosen port to FILE once listening, and a count of injected faults
by kind to stdout when stopped with SIGTERM.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import random
import signal
import socket
import sys
import threading
import time
import urllib.parse

FAULTS = ("500", "throttle", "reset", "delay", "cut", "cut-length")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def protocol(headers: http.client.HTTPMessage) -> str:
    """awsQuery (IAM, STS), awsJson (Organizations) or restJson (Connect)."""
    if headers.get("X-Amz-Target"):
        return "json"
    if "x-www-form-urlencoded" in (headers.get("Content-Type") or ""):
        return "query"
    return "rest"


def error_answer(kind: str, proto: str) -> tuple[int, dict[str, str], bytes]:
    throttle = kind == "throttle"
    if proto == "query":
        code = "Throttling" if throttle else "InternalFailure"
        body = (
            f'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error>'
            f"<Type>{'Sender' if throttle else 'Receiver'}</Type><Code>{code}</Code>"
            f"<Message>injected {kind}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
        ).encode()
        return (400 if throttle else 500), {"Content-Type": "text/xml"}, body
    if proto == "json":
        code = "TooManyRequestsException" if throttle else "ServiceException"
        body = json.dumps({"__type": code, "message": f"injected {kind}"}).encode()
        return (400 if throttle else 500), {"Content-Type": "application/x-amz-json-1.1"}, body
    code = "ThrottlingException" if throttle else "InternalServiceException"
    body = json.dumps({"message": f"injected {kind}"}).encode()
    return (
        (429 if throttle else 500),
        {"Content-Type": "application/json", "x-amzn-ErrorType": code},
        body,
    )


class State:
    def __init__(self, target: str, rate: float, seed: int) -> None:
        parsed = urllib.parse.urlsplit(target)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 80
        self.rate = rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.injected = {kind: 0 for kind in FAULTS}
        self.requests = 0

    def draw(self) -> str | None:
        with self.lock:
            self.requests += 1
            if self.random.random() >= self.rate:
                return None
            kind = self.random.choice(FAULTS)
            self.injected[kind] += 1
            return kind


def handler(state: State) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def handle_any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fault = state.draw()
            if fault == "reset":
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if fault in ("500", "throttle"):
                status, headers, answer = error_answer(fault, protocol(self.headers))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                return
            if fault == "delay":
                time.sleep(0.2)
            upstream = http.client.HTTPConnection(state.host, state.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(body))
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            answer = response.read()
            upstream.close()
            sent = answer
            length = len(answer)
            if fault in ("cut", "cut-length") and len(answer) > 1:
                sent = answer[: len(answer) // 2]
                if fault == "cut-length":
                    length = len(sent)
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(length))
            if fault == "cut":
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(sent)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    state = State(args.target, args.rate, args.seed)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    server.daemon_threads = True

    def stop(*_: object) -> None:
        print(json.dumps({"requests": state.requests, "injected": state.injected}), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    with open(args.port_file, "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
