#!/usr/bin/env python3
"""Prints the README's gap table: unserved communes of a few départements under the default
rules and under the choices a planner is most likely to change, from a running server.

Usage: scripts/gap-table.py [BASE_URL]   (default http://127.0.0.1:8080)
"""
import json
import sys
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
DEPARTEMENTS = [("81", "Tarn"), ("48", "Lozère"), ("23", "Creuse")]
VARIANTS = [
    ("Default (places receiving the public, 20 min)", {}),
    ("Every kind (accreditations, mobile help)", {"filter": {"kinds": []}}),
    ("Default at 10 min", {"threshold_minutes": 10}),
    (
        "Default, ≥ 4 half-days a week and known hours",
        {"filter": {"min_half_days": 4, "hours": "exclude_unknown"}},
    ),
]


def selection(dep, body):
    body = {"territory": {"departements": [dep]}, **body}
    req = urllib.request.Request(
        f"{BASE}/api/gaps",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(req) as r:
        doc = json.load(r)
    return doc["indicators"]["selection"]


rows = []
header = "| Département | " + " | ".join(v[0] for v in VARIANTS) + " |"
print(header)
print("|---|" + "---:|" * len(VARIANTS))
for code, name in DEPARTEMENTS:
    cells = []
    for _, params in VARIANTS:
        s = selection(code, params)
        cells.append(
            f"{s['communes_unserved']} / {s['communes']} "
            f"({s['population_unserved']:,} inhabitants)"
        )
    print(f"| {name} ({code}) | " + " | ".join(cells) + " |")
