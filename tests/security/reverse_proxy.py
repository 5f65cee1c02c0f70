"""A small reverse proxy that forwards as the nginx block of docs/deploy.md does.

    python tests/security/reverse_proxy.py LISTEN_PORT UPSTREAM_PORT ACCESS_LOG

It listens on 127.0.0.1, forwards every request to gunicorn on 127.0.0.1:UPSTREAM_PORT with
`X-Forwarded-For: $proxy_add_x_forwarded_for` (what the client sent, then the address it
connected from), `X-Forwarded-Proto: https` (nginx's TLS server sets $scheme so) and the Host
header as sent, and writes one access line per request in the documented `log_format
rekisteri` (method and path, no query string, no referrer). Started and stopped by
tests/security/test_behind_proxy.py; it serves nothing else.
"""

import http.client
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}


class Proxy(BaseHTTPRequestHandler):
    upstream_port = 0
    access_log = None

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers.pop("X-Forwarded-Proto", None)
        sent = self.headers.get("X-Forwarded-For")
        client = self.client_address[0]
        headers["X-Forwarded-For"] = f"{sent}, {client}" if sent else client
        headers["X-Forwarded-Proto"] = "https"
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        content = response.read()
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(content)
        upstream.close()
        # log_format rekisteri '$remote_addr - [$time_local] "$request_method $uri
        # $server_protocol" $status $body_bytes_sent $request_time';
        when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
        line = (
            f'{client} - [{when}] "{self.command} {urlsplit(self.path).path} '
            f'{self.request_version}" {response.status} {len(content)}\n'
        )
        self.access_log.write(line)
        self.access_log.flush()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward

    def log_message(self, format: str, *args) -> None:
        return  # the access line above is the log


def main() -> None:
    listen, upstream, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    Proxy.upstream_port = upstream
    Proxy.access_log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - for the process's life
    ThreadingHTTPServer(("127.0.0.1", listen), Proxy).serve_forever()


if __name__ == "__main__":
    main()
