#!/usr/bin/env python3
"""Writes the malformed DNS query corpus (RFC 1035 §4.1 / RFC 6891 §6.1 violations), one file per case.
Each must be answered with FORMERR or not at all. Run from this folder; the .bin files are committed."""
import struct

def header(qd=1, an=0, ns=0, ar=0, flags=0x0100, id=0x4242):
    return struct.pack(">HHHHHH", id, flags, qd, an, ns, ar)

def name(*labels):
    return b"".join(bytes([len(l)]) + l.encode() for l in labels) + b"\0"

ONS = name(*"0.0.6.2.2.3.1.4.1.4.1.6.0.gtin.gs1.id.onsepc.com".split("."))
Q = ONS + struct.pack(">HH", 35, 1)
OPT = b"\0" + struct.pack(">HHIH", 41, 1232, 0, 0)

cases = {
    "empty": b"",
    "shorter-than-header": header()[:5],
    "header-only-with-one-question": header(),
    "no-question": header(qd=0) ,
    "two-questions": header(qd=2) + Q + Q,
    "answer-count-in-query": header(an=1) + Q,
    "authority-count-in-query": header(ns=1) + Q,
    "label-longer-than-63": header() + bytes([64]) + b"a" * 64 + b"\0" + struct.pack(">HH", 35, 1),
    "name-longer-than-255": header() + b"".join(bytes([63]) + b"b" * 63 for _ in range(5)) + b"\0" + struct.pack(">HH", 35, 1),
    "compression-pointer-in-question": header() + b"\xc0\x0c" + struct.pack(">HH", 35, 1),
    "extended-label-type": header() + b"\x41\x05hello\0" + struct.pack(">HH", 35, 1),
    "name-runs-past-the-end": header() + b"\x10abc",
    "name-without-root-label": header() + b"\x03abc",
    "missing-qtype": header() + ONS,
    "truncated-qclass": header() + ONS + b"\x00\x23\x00",
    "trailing-garbage": header() + Q + b"\xde\xad",
    "two-additional-records": header(ar=2) + Q + OPT + OPT,
    "additional-count-without-record": header(ar=1) + Q,
    "opt-with-non-root-owner": header(ar=1) + Q + b"\x01a\0" + struct.pack(">HHIH", 41, 1232, 0, 0),
    "additional-not-opt": header(ar=1) + Q + b"\0" + struct.pack(">HHIH", 250, 255, 0, 0),
    "opt-rdlength-beyond-message": header(ar=1) + Q + b"\0" + struct.pack(">HHIH", 41, 1232, 0, 8) + b"\0\x0a",
    "opt-option-length-overruns": header(ar=1) + Q + b"\0" + struct.pack(">HHIH", 41, 1232, 0, 6) + struct.pack(">HH", 10, 8) + b"\1\2",
    "opt-option-header-cut": header(ar=1) + Q + b"\0" + struct.pack(">HHIH", 41, 1232, 0, 2) + b"\0\x0a",
    "question-type-opt": header() + ONS + struct.pack(">HH", 41, 1),
    "response-bit-set": header(flags=0x8180) + Q,
}
for case, data in cases.items():
    with open(case + ".bin", "wb") as f:
        f.write(data)
print(len(cases), "cases")
