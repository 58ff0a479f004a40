// DOMAIN.md §8 stories 1-4, 6 and 7 over HTTP (the rule-level twins are in
// src/trade/origin_stories_test.cc).
#include <memory>

#include "api/http/url.h"
#include "cli/stories_internal.h"
#include "core/bytes.h"
#include "node/proof_bundle.h"
#include "trade/time_util.h"

namespace tradeledger::cli::stories {
namespace {

// What a reader sees of an entry: "<view>: <claim states>, values <shown|hidden>".
std::string EntrySight(StoryClient& c, const crypto::KeyPair& key, const std::string& number) {
  JsonResponse r = c.Read(key, "/v1/entries/" + number);
  if (r.status != 200) return StatusOf(r);
  std::string states;
  for (const json& claim : r.body.value("claims", json::array())) {
    states += (states.empty() ? "" : "/") + Field(claim, "state");
  }
  bool values = r.body.dump().find("valueCents") != std::string::npos;
  return Field(r.body, "view") + ": " + states + ", values " + (values ? "shown" : "hidden");
}

}  // namespace

// 1. Blanket USMCA claim accepted.
void AddStory1(Timeline& t, StoryClient& c) {
  const std::string s = "1";
  auto cast = AdmitCast(t, c, s, false);
  IssueCert(t, c, s, cast, "S01-CERT");
  t.At(s, "2025-03-10", [&c, s, cast] {
    std::string number = EntryNo("1234567");
    json entry = EntryBody(number, cast->i, {Line(1, "8708300050", "S", "S01-CERT")}, "2025-03-10");
    c.Check(s, "importer files entry " + number, "OK",
            c.Submit(cast->importer, "entry.file", entry).code);
    c.Check(s, "claim " + number + "#1 (importer's read)", "ACCEPTED",
            ClaimOutcome(c, cast->importer, number + "#1"));
    c.Check(s, "MX-P reads the entry", "claim-status: ACCEPTED, values hidden",
            EntrySight(c, cast->producer, number));
    ClaimRead seen = ReadClaim(c, cast->producer, number + "#1");
    c.Check(s, "MX-P reads the claim", "claim-status ACCEPTED",
            Field(seen.body, "view") + " " + seen.state());
    JsonResponse full = c.Read(cast->importer, "/v1/entries/" + number);
    std::string value = "no line";
    if (full.status == 200 && full.body.contains("lines") && !full.body["lines"].empty()) {
      value = full.body["lines"][0].value("valueCents", json()).dump();
    }
    c.Check(s, "importer reads the line value (cents)", "1200000", value);
    c.Check(
        s, "importer's audit log shows MX-P's read", "true",
        Contains(AuditEvents(c, cast->importer, number), cast->p + ":METADATA") ? "true" : "false");
    // The certifier's list of the claims citing its certification reads the importer's claims.
    JsonResponse claims = c.Read(cast->producer, "/v1/certifications/S01-CERT/claims");
    c.Check(s, "MX-P lists the claims citing S01-CERT", "200 1",
            std::to_string(claims.status) + " " +
                std::to_string(claims.body.value("claims", json::array()).size()));
    bool audited = false;
    for (const std::string& e : AuditEvents(c, cast->importer, "S01-CERT")) {
      audited = audited || e.starts_with(cast->p + ":");
    }
    c.Check(s, "importer's audit log shows MX-P's claim list", "true", audited ? "true" : "false");
  });
}

// 2. HTS not covered.
void AddStory2(Timeline& t, StoryClient& c) {
  const std::string s = "2";
  auto cast = AdmitCast(t, c, s, false);
  IssueCert(t, c, s, cast, "S02-CERT");
  t.At(s, "2025-03-10", [&c, s, cast] {
    std::string number = EntryNo("2000001");
    json entry =
        EntryBody(number, cast->i,
                  {Line(1, "8708300050", "S", "S02-CERT"), Line(2, "8409910000", "S", "S02-CERT")},
                  "2025-03-10");
    c.Check(s, "importer files entry " + number + " (2 lines)", "OK",
            c.Submit(cast->importer, "entry.file", entry).code);
    c.Check(s, "line 1 claim (hts 8708300050)", "ACCEPTED",
            ClaimOutcome(c, cast->importer, number + "#1"));
    c.Check(s, "line 2 claim (hts 8409910000)", "REJECTED HTS_NOT_COVERED",
            ClaimOutcome(c, cast->importer, number + "#2"));
  });
}

// 3. Certificate obtained after the claim; a cert that is not on the ledger at all.
void AddStory3(Timeline& t, StoryClient& c) {
  const std::string s = "3";
  auto cast = AdmitCast(t, c, s, true);
  t.At(s, "2025-01-01", [&c, s, cast] {
    json grant = {{"delegationId", "S03-DELEGATION"},
                  {"agent", cast->b},
                  {"scope", {"FILE_ENTRY", "CLAIM_PREFERENCE"}},
                  {"validFrom", "2025-01-01"},
                  {"validTo", "2026-01-01"}};
    c.Check(s, "importer delegates filing to the broker", "OK",
            c.Submit(cast->importer, "delegation.grant", grant).code);
  });
  IssueCert(t, c, s, cast, "S03-CERT", "2025-02-03");
  t.At(s, "2025-02-05", [&c, s, cast] {
    std::string late = EntryNo("3000001"), unknown = EntryNo("3000002");
    json entry = EntryBody(late, cast->i, {Line(1, "8708300050", "S", "S03-CERT")}, "2025-01-30");
    entry["summaryFiledAt"] = "2025-02-01";
    c.Check(s, "broker mirrors ACE summary filed 2025-02-01", "OK",
            c.Submit(cast->broker, "entry.file", entry).code);
    c.Check(s, "claim citing cert anchored 2025-02-03", "REJECTED CERT_NOT_IN_POSSESSION_AT_CLAIM",
            ClaimOutcome(c, cast->broker, late + "#1"));
    json other =
        EntryBody(unknown, cast->i, {Line(1, "8708300050", "S", "S03-NO-SUCH-CERT")}, "2025-01-30");
    other["summaryFiledAt"] = "2025-02-01";
    c.Check(s, "broker files an entry citing an unknown cert", "OK",
            c.Submit(cast->broker, "entry.file", other).code);
    c.Check(s, "claim citing a cert not on the ledger", "REJECTED CERT_NOT_FOUND",
            ClaimOutcome(c, cast->broker, unknown + "#1"));
  });
}

// 4. Outside the blanket period; an expired cert; NAFTA no longer in force.
void AddStory4(Timeline& t, StoryClient& c) {
  const std::string s = "4";
  auto cast = AdmitCast(t, c, s, false);
  t.At(s, "2024-02-01", [&c, s, cast] {
    json old = UsmcaCert("S04-SINGLE-2020", cast->i, Sha256Hex("S04 single shipment 2020"));
    old["signedAt"] = "2020-08-01";
    old["singleShipment"] = true;
    old.erase("blanketFrom");
    old.erase("blanketTo");
    c.Check(s, "anchor single-shipment cert signed 2020-08-01", "OK",
            c.Submit(cast->producer, "cert.issue", old).code);
  });
  t.At(s, "2024-03-01", [&c, s, cast] {
    json nafta = UsmcaCert("S04-NAFTA", cast->i, Sha256Hex("S04 NAFTA certificate"));
    nafta["agreement"] = "NAFTA";
    nafta["certifierRole"] = "EXPORTER";
    nafta["producer"] = "SAME_AS_EXPORTER";
    nafta["signedAt"] = "2020-12-15";
    nafta["blanketFrom"] = "2021-01-01";
    nafta["blanketTo"] = "2021-12-31";
    nafta["language"] = "en";
    c.Check(s, "anchor NAFTA blanket cert for 2021", "OK",
            c.Submit(cast->producer, "cert.issue", nafta).code);
    std::string number = EntryNo("4000003");
    json entry =
        EntryBody(number, cast->i, {Line(1, "8708300050", "MX", "S04-NAFTA")}, "2021-05-01");
    c.Check(s, "importer files 2021 import, SPI MX", "OK",
            c.Submit(cast->importer, "entry.file", entry).code);
    c.Check(s, "NAFTA claim on a 2021 import", "REJECTED AGREEMENT_NOT_IN_FORCE",
            ClaimOutcome(c, cast->importer, number + "#1"));
  });
  t.At(s, "2024-09-01", [&c, s, cast] {
    std::string number = EntryNo("4000002");
    json entry =
        EntryBody(number, cast->i, {Line(1, "8708300050", "S", "S04-SINGLE-2020")}, "2024-08-28");
    entry["summaryFiledAt"] = "2024-09-01";
    c.Check(s, "importer files claim on 2024-09-01", "OK",
            c.Submit(cast->importer, "entry.file", entry).code);
    c.Check(s, "claim on cert signed 2020-08-01", "REJECTED CERT_EXPIRED",
            ClaimOutcome(c, cast->importer, number + "#1"));
  });
  IssueCert(t, c, s, cast, "S04-CERT");
  t.At(s, "2026-01-06", [&c, s, cast] {
    std::string number = EntryNo("4000001");
    json entry = EntryBody(number, cast->i, {Line(1, "8708300050", "S", "S04-CERT")}, "2026-01-05");
    c.Check(s, "importer files import of 2026-01-05", "OK",
            c.Submit(cast->importer, "entry.file", entry).code);
    c.Check(s, "claim on the 2025 blanket cert", "REJECTED OUTSIDE_BLANKET_PERIOD",
            ClaimOutcome(c, cast->importer, number + "#1"));
  });
}

// 6. Tampered document.
void AddStory6(Timeline& t, StoryClient& c) {
  const std::string s = "6";
  auto cast = AdmitCast(t, c, s, true);
  auto pdf = std::make_shared<std::string>(
      "%PDF-1.4\n% USMCA certification of origin S06-CERT, MX Producer SA, HS 8708.30\n%%EOF\n");
  t.At(s, "2024-12-20", [&c, s, cast, pdf] {
    json body = UsmcaCert("S06-CERT", cast->i, Sha256Hex(*pdf));
    c.Check(s, "MX-P anchors cert S06-CERT (hash of its PDF)", "OK",
            c.Submit(cast->producer, "cert.issue", body).code);
  });
  t.At(s, "2025-03-10", [&c, s, cast, pdf] {
    std::string tampered = *pdf;
    tampered.replace(tampered.find("8708.30"), 7, "8409.91");
    std::string bad = Sha256Hex(tampered);
    TxResult present =
        c.Submit(cast->broker, "cert.present", {{"certId", "S06-CERT"}, {"contentHash", bad}});
    c.Check(s, "broker presents the altered PDF (cert.present)", "DOCUMENT_HASH_MISMATCH",
            present.code);
    c.Check(
        s, "broker presents it (document.present)", "DOCUMENT_HASH_MISMATCH",
        c.Submit(cast->broker, "document.present", {{"docId", "S06-CERT"}, {"presentedHash", bad}})
            .code);
    c.Check(s, "broker uploads it for S06-CERT", "409 DOCUMENT_HASH_MISMATCH",
            StatusOf(c.Upload(cast->broker, bad, "S06-CERT", tampered)));
    c.Check(s, "broker uploads the genuine PDF", "201",
            StatusOf(c.Upload(cast->broker, Sha256Hex(*pdf), "S06-CERT", *pdf)));
    // The failed presentation is on the ledger, signed by the presenter.
    JsonResponse proof = c.Read(cast->broker, "/v1/proofs/inclusion/" + present.tx_id);
    std::string signer = "no proof";
    if (proof.status == 200 && node::VerifyBundle(proof.body, c.trusted())) {
      auto envelope = core::FromBase64(Field(proof.body, "transaction"));
      auto tx = envelope
                    ? ledger::SignedTransaction::Decode(*envelope)
                    : core::Result<ledger::SignedTransaction>(std::unexpected(envelope.error()));
      signer = tx && tx->signer() == cast->broker.public_key ? "broker's key" : "another key";
    }
    c.Check(s, "ledger records the presenter (proof verified)", "broker's key", signer);
    c.Check(s, "read audit records the presenter", "true",
            Contains(AuditEvents(c, c.customs(), "S06-CERT"), cast->b + ":DOCUMENT_HASH_MISMATCH")
                ? "true"
                : "false");
    JsonResponse anchor = c.Read(cast->producer, "/v1/documents/S06-CERT");
    c.Check(s, "anchor unchanged on re-read (hash prefix)", Sha256Hex(*pdf).substr(0, 16),
            Field(anchor.body, "contentHash").substr(0, 16));
    JsonResponse cert = c.Read(cast->producer, "/v1/certifications/S06-CERT");
    c.Check(s, "cert unchanged on re-read", "ISSUED " + Sha256Hex(*pdf).substr(0, 16),
            Field(cert.body, "state") + " " + Field(cert.body, "contentHash").substr(0, 16));
  });
}

// 7. Blanket too long.
void AddStory7(Timeline& t, StoryClient& c) {
  const std::string s = "7";
  auto key = std::make_shared<crypto::KeyPair>();
  t.Setup(s, [&c, s, key] { *key = c.Admit(s, "S07-MXE", {"EXPORTER", "PRODUCER"}, "MX"); });
  t.At(s, "2024-12-20", [&c, s, key] {
    json body = UsmcaCert("S07-CERT", "S07-IMP", Sha256Hex("S07 certificate"));
    body["certifierRole"] = "EXPORTER";
    body["producer"] = "SAME_AS_EXPORTER";
    body.erase("importer");
    body["blanketTo"] = "2026-03-31";
    c.Check(s, "exporter issues blanket 2025-01-01..2026-03-31", "BLANKET_PERIOD_INVALID",
            c.Submit(*key, "cert.issue", body).code);
    c.Check(s, "nothing anchored", "404 NOT_FOUND",
            StatusOf(c.Read(*key, "/v1/certifications/S07-CERT")));
  });
}

}  // namespace tradeledger::cli::stories
