"""A keep-alive HTTP/1.1 server answering with silent failures in several API styles, for the
learned-baseline end-to-end test.

usage: outcome_server.py PORT [PROCESS_NAME]
GET /shapes/<name>: a fixed answer (see SHAPES). GET /learn/transfers?v=accepted|blocked|late&ref=N:
a transfer whose "state" only a learned baseline can judge.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

port = int(sys.argv[1])
name = sys.argv[2] if len(sys.argv) > 2 else "outcome-srv"
with open("/proc/self/comm", "w") as comm:
    comm.write(name[:15])

JSON = "application/json"
SHAPES = {
    # A payment refusal inside a 201 (the charge this request created was declined).
    "payment-refusal": (201, JSON, json.dumps({"id": "ch_1", "object": "charge", "status": "declined",
                                               "outcome": {"type": "issuer_declined"}})),
    # A vendor code inside a wrapper named after the method.
    "wrapped-code": (200, JSON, json.dumps({"alipay_trade_pay_response": {"code": "40004", "msg": "Business Failed",
                                                                          "sub_code": "ACQ.TRADE_HAS_CLOSE"}})),
    # A GraphQL mutation whose payload reports userErrors.
    "graphql-usererrors": (200, JSON, json.dumps({"data": {"cartCreate": {"cart": None, "userErrors": [
        {"field": ["input", "lines"], "message": "Quantity is invalid", "code": "INVALID"}]}}})),
    # A bulk answer whose items partly failed (Elasticsearch style).
    "bulk-failed-items": (200, JSON, json.dumps({"took": 3, "errors": True, "items": [
        {"index": {"_id": "1", "status": 201}},
        {"index": {"_id": "2", "status": 400, "error": {"type": "mapper_parsing_exception"}}}]})),
    # An XML-RPC fault.
    "xmlrpc-fault": (200, "text/xml", '<?xml version="1.0"?><methodResponse><fault><value><struct>'
                     '<member><name>faultCode</name><value><int>4</int></value></member>'
                     '<member><name>faultString</name><value><string>Too many parameters.</string></value></member>'
                     '</struct></value></fault></methodResponse>'),
    # A form-encoded failure (PayPal NVP style).
    "form-failure": (200, "application/x-www-form-urlencoded",
                     "ACK=Failure&L_ERRORCODE0=10002&L_SHORTMESSAGE0=Security%20error&L_SEVERITYCODE0=Error"),
    "ok": (200, JSON, json.dumps({"ok": True, "items": [1, 2, 3]})),
}


def transfer(variant, ref):
    if variant == "blocked":
        # An outcome code no built-in rule knows, with an error object the route never carries.
        return {"state": "BLOCKED_BY_UPSTREAM", "ref": ref,
                "errorInfo": {"reason": "UPSTREAM_HOLD", "domain": "partner.example"}}
    if variant == "late":
        return {"state": "ACCEPTED_LATE", "ref": ref}
    return {"state": "ACCEPTED", "ref": ref}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, content_type, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path.startswith("/shapes/") and url.path[len("/shapes/"):] in SHAPES:
            self.answer(*SHAPES[url.path[len("/shapes/"):]])
        elif url.path == "/learn/transfers":
            query = parse_qs(url.query)
            body = transfer(query.get("v", ["accepted"])[0], "r" + query.get("ref", ["0"])[0])
            self.answer(200, JSON, json.dumps(body))
        else:
            self.answer(404, JSON, json.dumps({"error": "not found"}))


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
