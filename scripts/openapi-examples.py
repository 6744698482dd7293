#!/usr/bin/env python3
"""A precision check on responses this repository never saw: the example responses of public OpenAPI files.

Usage:
  scripts/openapi-examples.py extract OUT.jsonl NAME=DIR [NAME=DIR ...]
      Walks each DIR (a checkout of an API's OpenAPI/Swagger description), reads every operation's
      documented response examples (OpenAPI 3 `example`/`examples`, Swagger 2 `examples`) with a JSON or
      XML media type, and writes one line per distinct example in the form `./apiguard classify --jsonl`
      reads: {"api", "method", "route", "status", "content_type", "body"}. Local `$ref`s are followed;
      references to other files are not.
  scripts/openapi-examples.py report OUT.jsonl VERDICTS.jsonl
      Joins the examples with the verdicts (one line each, in order) and prints, per API, how many 2xx
      examples read as a business error, then each flagged example for review.

  ./apiguard classify --jsonl < OUT.jsonl > VERDICTS.jsonl

A documented 2xx example is nearly always a success, so the flagged ones are candidate false positives
(some are real partial failures a vendor documents on purpose: read them). Needs PyYAML (python3-yaml).
"""
import json
import os
import re
import sys
from collections import Counter

MAX_FILE_BYTES = 60_000_000
METHODS = ("get", "post", "put", "patch", "delete")


def resolve(doc, node, depth=0):
    """Follows a local $ref (#/components/...), at most 10 deep; other references resolve to None."""
    if isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if depth >= 10 or not isinstance(ref, str) or not ref.startswith("#/"):
            return None
        cur = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(cur, dict) or part not in cur:
                return None
            cur = cur[part]
        return resolve(doc, cur, depth + 1)
    return node


def load(path):
    import yaml  # only extract needs it
    with open(path, encoding="utf-8") as fh:
        if path.endswith(".json"):
            return json.load(fh)
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def examples(doc):
    """(method, path, status, content type, body) for every documented example response of one file."""
    for path, item in (doc.get("paths") or {}).items():
        item = resolve(doc, item)
        if not isinstance(item, dict):
            continue
        for method, op in item.items():
            op = resolve(doc, op)
            if method.lower() not in METHODS or not isinstance(op, dict):
                continue
            for status, resp in (op.get("responses") or {}).items():
                resp = resolve(doc, resp)
                if not re.fullmatch(r"[1-5]\d\d", str(status)) or not isinstance(resp, dict):
                    continue
                if isinstance(resp.get("examples"), dict) and "content" not in resp:  # Swagger 2
                    for ctype, body in resp["examples"].items():
                        yield method, path, int(status), ctype, body
                for ctype, media in (resp.get("content") or {}).items():
                    media = resolve(doc, media)
                    if not isinstance(media, dict):
                        continue
                    if "example" in media:
                        yield method, path, int(status), ctype, media["example"]
                    for ex in (media.get("examples") or {}).values():
                        ex = resolve(doc, ex)
                        if isinstance(ex, dict) and "value" in ex:
                            yield method, path, int(status), ctype, ex["value"]


def extract(out_path, sources):
    seen = set()
    written = skipped = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for source in sources:
            api, sep, top = source.partition("=")
            if not sep or not os.path.isdir(top):
                sys.exit(f"openapi-examples: expected NAME=DIR with an existing DIR, got {source!r}")
            for dirpath, dirnames, files in os.walk(top):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in files:
                    path = os.path.join(dirpath, name)
                    if not re.search(r"\.(ya?ml|json)$", name) or os.path.getsize(path) > MAX_FILE_BYTES:
                        continue
                    try:
                        doc = load(path)
                    except Exception as e:  # not every YAML or JSON file in a checkout is a description
                        skipped += 1
                        print(f"openapi-examples: skipped {path}: {type(e).__name__}", file=sys.stderr)
                        continue
                    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
                        continue
                    for method, route, status, ctype, body in examples(doc):
                        if "json" not in ctype and "xml" not in ctype:
                            continue
                        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
                        key = (api, method, route, status, text)
                        if not text.strip() or key in seen:
                            continue
                        seen.add(key)
                        out.write(json.dumps({"api": api, "method": method.upper(), "route": route, "status": status,
                                              "content_type": ctype, "body": text}, ensure_ascii=False) + "\n")
                        written += 1
    print(f"openapi-examples: {written} distinct examples written to {out_path} ({skipped} files skipped)",
          file=sys.stderr)


def report(examples_path, verdicts_path):
    counts = Counter()
    flagged = []
    with open(examples_path, encoding="utf-8") as ex, open(verdicts_path, encoding="utf-8") as ve:
        for line, verdict_line in zip(ex, ve):
            e = json.loads(line)
            v = json.loads(verdict_line)
            if not 200 <= e["status"] < 300:
                continue
            error = bool(v.get("business_error"))
            counts[(e["api"], error)] += 1
            if error:
                flagged.append((e, v))
    apis = sorted({api for api, _ in counts})
    total = sum(counts.values())
    print(f"{'api':<24} {'2xx examples':>12} {'flagged':>8}")
    for api in apis:
        print(f"{api:<24} {counts[(api, False)] + counts[(api, True)]:>12} {counts[(api, True)]:>8}")
    print(f"{'all':<24} {total:>12} {len(flagged):>8}")
    for e, v in flagged:
        print(f"\n{e['api']} {e['method']} {e['route']} {e['status']}: {v.get('error_type')} ({v.get('family')})")
        print("  " + e["body"][:600])


def main(argv):
    if len(argv) >= 3 and argv[0] == "extract":
        extract(argv[1], argv[2:])
    elif len(argv) == 3 and argv[0] == "report":
        report(argv[1], argv[2])
    else:
        sys.exit(__doc__.strip().split("\n\n")[1])


if __name__ == "__main__":
    main(sys.argv[1:])
