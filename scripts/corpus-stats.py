#!/usr/bin/env python3
"""Validate the public labelled corpus and print its counts and held-out split.

Usage: scripts/corpus-stats.py [DIR]   (default: semantics/src/test/resources/corpus/public)

Exit status 1 when a line is not a valid case. The held-out part is fixed by the API name:
CRC32(api UTF-8) % 5 == 0, so every case of one API lands on the same side.
"""
import base64
import collections
import glob
import gzip
import json
import os
import sys
import zlib

ERROR_TYPES = {"rate_limit", "auth_failure", "payment_failure", "validation", "not_found",
               "generic_business_error"}
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
REQUIRED = ("id", "api", "source", "family", "status", "content_type", "expect", "tricky", "note")


def held_out(api):
    return zlib.crc32(api.encode("utf-8")) % 5 == 0


def check(case, where):
    problems = []
    for key in REQUIRED:
        if key not in case:
            problems.append(f"missing {key}")
    if ("body" in case) == ("body_base64" in case):
        problems.append("needs exactly one of body / body_base64")
    if "body" in case and not isinstance(case["body"], str):
        problems.append("body must be a string")
    if "body_base64" in case:
        try:
            raw = base64.b64decode(case["body_base64"], validate=True)
            if case.get("content_encoding") == "gzip":
                gzip.decompress(raw)
        except Exception as e:  # one line per bad case, no stack trace
            problems.append(f"body_base64 does not decode: {e}")
    if not isinstance(case.get("status"), int) or not 100 <= case.get("status", 0) <= 599:
        problems.append("status must be an HTTP status code")
    for key in ("id", "api", "source", "family", "content_type", "note"):
        if key in case and (not isinstance(case[key], str) or not case[key]):
            problems.append(f"{key} must be a non-empty string")
    if not isinstance(case.get("tricky"), bool):
        problems.append("tricky must be a boolean")
    expect = case.get("expect", {})
    if not isinstance(expect.get("business_error"), bool) or not isinstance(expect.get("partial_success"), bool):
        problems.append("expect needs boolean business_error and partial_success")
    elif expect["business_error"]:
        if expect.get("error_type") not in ERROR_TYPES:
            problems.append(f"error_type {expect.get('error_type')!r} is not in the vocabulary")
    elif expect.get("error_type") is not None:
        problems.append("error_type given without business_error")
    if case.get("status", 0) >= 500 and expect.get("business_error"):
        problems.append("a 5xx is labelled a business error")
    # Optional request side: only when the documentation says which call returns the response.
    if "method" in case and case["method"] not in METHODS:
        problems.append(f"method {case['method']!r} is not one of {sorted(METHODS)}")
    keys = list(case)
    if "method" in case and keys.index("method") != keys.index("status") + 1:
        problems.append("method must come right after status")
    if "path" in case and "method" in case and keys.index("path") != keys.index("method") + 1:
        problems.append("path must come right after method")
    if "path" in case:
        if "method" not in case:
            problems.append("path given without method")
        if not isinstance(case["path"], str) or not case["path"].startswith("/"):
            problems.append("path must be a string starting with /")
    return [f"{where}: {p}" for p in problems]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "semantics", "src", "test", "resources", "corpus", "public")
    files = sorted(glob.glob(os.path.join(root, "*.jsonl")))
    if not files:
        print(f"no .jsonl files under {root}")
        return 1
    cases, problems, ids = [], [], set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                where = f"{os.path.basename(path)}:{number}"
                if not line.strip():
                    problems.append(f"{where}: empty line")
                    continue
                try:
                    case = json.loads(line)
                except json.JSONDecodeError as e:
                    problems.append(f"{where}: not JSON ({e.msg})")
                    continue
                problems += check(case, where)
                if case.get("id") in ids:
                    problems.append(f"{where}: duplicate id {case.get('id')}")
                ids.add(case.get("id"))
                case["_file"] = os.path.basename(path)
                cases.append(case)
    for p in problems:
        print("INVALID", p)

    def tricky_negative(c):
        return c["tricky"] and not c["expect"]["business_error"]

    def summary(title, subset):
        if not subset:
            print(f"{title}: 0 cases")
            return
        positives = sum(c["expect"]["business_error"] for c in subset)
        tn = sum(tricky_negative(c) for c in subset)
        print(f"{title}: {len(subset)} cases, {len({c['api'] for c in subset})} APIs, "
              f"{positives} business errors, {len(subset) - positives} negatives, "
              f"{tn} tricky negatives ({100.0 * tn / len(subset):.1f} %), "
              f"{sum(c['expect']['partial_success'] for c in subset)} partial_success")

    summary("all", cases)
    print("\nper family (cases / business errors / tricky negatives / APIs):")
    by_family = collections.defaultdict(list)
    for c in cases:
        by_family[c["family"]].append(c)
    for family, subset in sorted(by_family.items()):
        print(f"  {family:20s} {len(subset):4d} {sum(c['expect']['business_error'] for c in subset):4d} "
              f"{sum(tricky_negative(c) for c in subset):4d} {len({c['api'] for c in subset}):4d}")
    print("\nrequest method per family (cases with method / with path; GET POST PUT PATCH DELETE HEAD):")
    for family, subset in sorted(by_family.items()):
        counts = collections.Counter(c.get("method") for c in subset if "method" in c)
        print(f"  {family:20s} {sum(counts.values()):4d} {sum('path' in c for c in subset):4d}   "
              + " ".join(f"{counts.get(m, 0):3d}" for m in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")))
    with_method = [c for c in cases if "method" in c]
    print(f"  {'all':20s} {len(with_method):4d} {sum('path' in c for c in cases):4d}")
    print("\nper error_type:")
    types = collections.Counter(c["expect"].get("error_type") for c in cases if c["expect"]["business_error"])
    for name, count in sorted(types.items()):
        print(f"  {name:24s} {count:4d}")
    print("\nper status class (cases / business errors):")
    classes = collections.defaultdict(list)
    for c in cases:
        classes[f"{c['status'] // 100}xx"].append(c)
    for name, subset in sorted(classes.items()):
        print(f"  {name} {len(subset):4d} {sum(c['expect']['business_error'] for c in subset):4d}")
    print("\nsplit by CRC32(api) % 5 == 0:")
    summary("  held-out", [c for c in cases if held_out(c["api"])])
    summary("  tuning  ", [c for c in cases if not held_out(c["api"])])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
