#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ and their AFL++
dictionaries into fuzz/dict/<target>.dict (both committed).

Usage: python3 fuzz/make_seeds.py [BUILD_DIR]

http_request_fuzz, read_auth_fuzz and tx_bodies_fuzz seeds are written from the tables below;
decoders_fuzz seeds are the valid encodings smoke_main.cc builds, written by
`BUILD_DIR/fuzz/decoders_fuzz_smoke --write-seeds DIR` when that binary exists. Each seed's
first byte is the target's selector byte (see each target's contract comment). Re-running is
idempotent: same inputs, same files.
"""
import glob
import hashlib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

# trade::Handlers() is a std::map sorted by name; byte 0 of a tx_bodies_fuzz input indexes it.
TX_TYPES = sorted("""
calendar.amend case.determine case.intent-to-deny case.open case.request case.respond
cert.issue cert.present cert.supersede cert.withdraw claim.enforce-deadlines
claim.request-correction claim.request-series claim.supply-cert claim.voluntary-correct
clock.advance delegation.grant delegation.revoke document.anchor document.present
document.purge entry.file ipr.assess ipr.license.issue ipr.license.reinstate
ipr.license.revoke ipr.license.suspend ipr.recordation.apply ipr.recordation.approve
ipr.recordation.cancel ipr.recordation.reject member.add member.revoke member.rotate
org.admit org.set-roles org.set-status validator.set""".split())
SIGNERS = {"customs": 0, "MX-P": 1, "IMP": 2, "RH": 3, "BRK": 4, "stranger": 5}
HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def ior_hash(org_id, number, network_salt_hex="0011223344556677"):
    """trade::IorNumberHash with the fixture's genesis salt (600,000 PBKDF2 rounds)."""
    salt = b"TRADELEDGER/IOR/v1\0" + bytes.fromhex(network_salt_hex) + b"\0" + org_id.encode()
    return hashlib.pbkdf2_hmac("sha256", number.encode(), salt, 600000).hex()


def entry_number(filer, serial):
    """trade::MakeEntryNumber with the Luhn check digit of entry_number.cc."""
    digits = [int(c) if c.isdigit() else (ord(c) - ord("A") + 1) % 10 for c in filer + serial]
    total, double = 0, True
    for d in reversed(digits):
        if double:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total, double = total + d, not double
    return f"{filer}-{serial}-{(10 - total % 10) % 10}"


def tx_seeds():
    line = {"lineNo": 1, "hts10": "8708301000", "countryOfOrigin": "MX", "mid": "MXMEXPRO12MON",
            "quantity": 100, "uom": "PCS", "value": 12000.0, "spi": "S", "certRef": "CERT-1"}
    seeds = {
        "document_anchor": ("document.anchor", "MX-P", {
            "docId": "CO-2025-0001", "docType": "CERT_OF_ORIGIN", "contentHash": HASH,
            "issuer": "MX-P Autopartes S.A.", "metadata": {"agreement": "USMCA"}}),
        "org_admit": ("org.admit", "customs", {
            "orgId": "NEW", "legalName": "New Inc.", "country": "US", "roles": ["EXPORTER"],
            "members": [{"publicKey": "11" * 32, "roles": ["EXPORTER"], "admin": True}]}),
        "member_add": ("member.add", "MX-P", {
            "orgId": "MX-P", "publicKey": "22" * 32, "roles": ["EXPORTER"]}),
        "delegation_grant": ("delegation.grant", "IMP", {
            "delegationId": "DEL-1", "agent": "BRK", "scope": ["FILE_ENTRY"],
            "validFrom": "2025-01-01", "validTo": "2026-01-01"}),
        "entry_file": ("entry.file", "IMP", {
            "entryNumber": entry_number("ABC", "1234567"), "entryType": "01", "importer": "IMP",
            "iorNumberHash": ior_hash("IMP", "12-3456789AB"), "shipmentRef": "MAEU123456789",
            "importDate": "2025-03-10", "portCode": "2304", "lines": [line]}),
        "recordation_apply": ("ipr.recordation.apply", "RH", {
            "recordationNo": "TMK 19-00001", "rightType": "TRADEMARK", "registrationNo": "5123456",
            "mark": "ACME", "intlClasses": [25],
            "goodsDescription": "Clothing, namely shirts and sweaters",
            "placesOfManufacture": ["Hanoi, VN"],
            "authorizedUsers": [{"name": "L1 Inc.", "address": "1 Main St, Newark NJ",
                                 "useAuthorized": "all"}],
            "validUntil": "2029-12-31"}),
        "case_open": ("case.open", "customs", {
            "caseId": "VC-1", "claimIds": ["x"], "method": "QUESTIONNAIRE", "addressee": "IMP"}),
        "cert_withdraw": ("cert.withdraw", "MX-P", {"certId": "CERT-1"}),
        "clock_advance": ("clock.advance", "customs", {"to": "2025-03-11T00:00:00Z"}),
    }
    out = {}
    for name, (tx_type, signer, body) in seeds.items():
        head = bytes([TX_TYPES.index(tx_type), SIGNERS[signer]])
        out[name] = head + json.dumps(body, separators=(",", ":")).encode()
    return out


def http_seeds():
    return {
        "get": b"\x00GET /v1/documents/CO-2025-0001?view=full&x=a%20b HTTP/1.1\r\n"
               b"Host: n1\r\nX-TL-Key: ab\r\n\r\n",
        "post": b"\x00POST /v1/transactions HTTP/1.1\r\nHost: n1\r\nContent-Type: application/json"
                b"\r\nContent-Length: 13\r\n\r\n{\"type\":\"x\"}\n",
        "chunked": b"\x00POST /v1/tx HTTP/1.1\r\nHost: n1\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"4\r\nab=c\r\n0\r\n\r\n",
        "target": b"\x01/v1/state/proof?key=doc%2FCO-1&limit=10#frag",
        "query": b"\x02a=1&b=x+y&flag&c=%E2%82%AC",
        "url": b"\x03https://[::1]:8443/ledger/v1",
        "percent": b"\x04a%2Fb+c%41",
    }


def read_auth_seeds():
    # mode byte: bit 0 = the harness signs target A; bit 1 = present target B instead.
    def fields(mode, *f):
        return bytes([mode]) + "\n".join(f).encode()
    return {
        "signed": fields(1, "GET", "/v1/documents/D?view=full", "", "1750000000000", "", ""),
        # A's signature presented on B, a different read (one byte from a query collision)
        "signed_moved": fields(3, "GET", "/v1/x?a=1%26b%3D2", "", "", "", "/v1/x?a=1&c=2"),
        "expired": fields(1, "GET", "/v1/blocks/7", "", "1749000000000", "", ""),
        "unsigned": fields(0, "GET", "/v1/blocks", "ab" * 32, "1750000000000", "cd" * 64, ""),
        "none": fields(0, "GET", "/v1/blocks", "", "", "", ""),
    }


def tx_dict():
    """JSON tokens plus every quoted camelCase name and UPPER_CASE value in src/trade."""
    tokens = {"{", "}", "[", "]", ":", ",", "\\\"", "true", "false", "null", "0", "-1", "1e309",
              "2025-03-10", "2025-03-10T12:00:00Z", "CERT-1", "MX-P", "IMP", "RH", "BRK", "CBP"}
    for path in glob.glob(os.path.join(ROOT, "src", "trade", "*.cc")):
        if path.endswith("_test.cc"):
            continue
        text = open(path, encoding="utf-8").read()
        tokens.update(re.findall(r'"([a-z][A-Za-z0-9]{2,}|[A-Z][A-Z0-9_]{2,})"', text))
    return sorted(tokens)


DICTS = {
    "http_request_fuzz": ["GET ", "POST ", "HEAD ", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "\r\n",
                          "Host: ", "Content-Length: ", "Transfer-Encoding: chunked\r\n",
                          "Connection: keep-alive", "X-TL-Key: ", "%", "%00", "%2F", "%25", "+",
                          "?", "&", "=", "#", "://", "[::1]", ":65535", "0\r\n\r\n"],
    "read_auth_fuzz": ["\n", "?", "&", "=", "%26", "%3D", "%25", "%00", "+", "/v1/", "GET",
                       "1750000000000", "1750000300000", "1749999700000"],
}


def write_dict(target, tokens):
    directory = os.path.join(ROOT, "fuzz", "dict")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, target + ".dict"), "w") as f:
        for token in tokens:
            escaped = "".join(c if " " <= c <= "~" and c not in '\\"' else f"\\x{ord(c):02x}"
                              for c in token)
            f.write(f'"{escaped}"\n')
    print(f"{target}: {len(tokens)} dictionary tokens")


def write(target, seeds):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
    print(f"{target}: {len(seeds)} seeds in {os.path.relpath(directory, ROOT)}")


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "fuzz-afl")
    write("http_request_fuzz", http_seeds())
    write("read_auth_fuzz", read_auth_seeds())
    write("tx_bodies_fuzz", tx_seeds())
    for target, tokens in DICTS.items():
        write_dict(target, tokens)
    write_dict("tx_bodies_fuzz", tx_dict())
    smoke = os.path.join(build, "fuzz", "decoders_fuzz_smoke")
    if os.path.exists(smoke):
        directory = os.path.join(CORPUS, "decoders_fuzz")
        os.makedirs(directory, exist_ok=True)
        subprocess.run([smoke, "--write-seeds", directory], check=True)
    else:
        print(f"decoders_fuzz: {smoke} not built; seeds left as they are")


if __name__ == "__main__":
    main()
