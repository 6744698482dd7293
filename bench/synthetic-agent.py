#!/usr/bin/env python3
"""A stand-in for one apiguard agent's /metrics, for bench/prometheus-scale.sh.

Serves the agent's exposition format (the contract families of docs/architecture.md, with the
agent's 16 latency buckets) for SERVICES x ROUTES endpoints on 127.0.0.1:PORT, with counters that
grow with wall time, so rate() and increase() see traffic. Per endpoint: a 2xx series on every
route; a 4xx and a 5xx series and a silent business error on every 10th route (the typical mix; the
upper bound per endpoint is in docs/scaling.md).

    synthetic-agent.py PORT SERVICES ROUTES_PER_SERVICE
"""
import http.server
import sys
import time

BUCKETS = ["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.075", "0.1",
           "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "10.0", "+Inf"]
# Share of requests at or under each bound: most requests fast, a tail to 1 s.
SHARE = [0.0, 0.0, 0.01, 0.05, 0.2, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.0, 1.0, 1.0, 1.0, 1.0]

port, services, routes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
START = time.time()

requests, buckets, sums, counts, business = [], [], [], [], []
for s in range(services):
    svc = "svc%02d" % s
    for r in range(routes):
        path = "/api/v1/r%04d/{id}" % r
        classes = [("2xx", 1.0)] + ([("4xx", 0.02), ("5xx", 0.01)] if r % 10 == 0 else [])
        for cls, rate in classes:
            labels = 'service="%s",side="server",method="GET",path="%s",status_class="%s"' % (svc, path, cls)
            requests.append(("api_http_requests_total{%s}" % labels, rate))
            for le, share in zip(BUCKETS, SHARE):
                buckets.append(('api_http_duration_seconds_bucket{%s,le="%s"}' % (labels, le), rate * share))
            counts.append(("api_http_duration_seconds_count{%s}" % labels, rate))
            sums.append(("api_http_duration_seconds_sum{%s}" % labels, rate * 0.04))
        if r % 10 == 0:
            business.append(('api_business_errors_total{service="%s",side="server",path="%s",'
                             'error_type="payment_failure",severity="critical",silent="true"}' % (svc, path), 0.01))


def family(out, name, kind, lines, elapsed):
    out.append("# TYPE %s %s\n" % (name, kind))
    out.extend("%s %.3f\n" % (series, rate * elapsed) for series, rate in lines)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        elapsed = time.time() - START + 1000
        out = []
        family(out, "api_http_requests_total", "counter", requests, elapsed)
        out.append("# TYPE api_http_duration_seconds histogram\n")
        for group in (buckets, counts, sums):
            out.extend("%s %.3f\n" % (series, rate * elapsed) for series, rate in group)
        family(out, "api_business_errors_total", "counter", business, elapsed)
        family(out, "apiguard_events_dropped_total", "counter",
               [('apiguard_events_dropped_total{reason="%s"}' % r, 0) for r in ("ringbuf_full", "conn_table_full", "malformed")], elapsed)
        family(out, "apiguard_routes_overflow_total", "counter", [], elapsed)
        body = "".join(out).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
