// DOMAIN.md §8 stories 5, 8, 9, 12 and 13 over HTTP: corrections, series requests,
// verification, filing on behalf, confidentiality (rule-level twins in
// src/trade/origin_stories_test.cc).
#include <memory>

#include "cli/stories_internal.h"
#include "trade/time_util.h"

namespace tradeledger::cli::stories {
namespace {

// The date part of a stored instant field (ms) inside `parent`, or "-".
std::string DateOf(const json& record, const char* parent, const char* field) {
  if (!record.is_object() || !record.contains(parent) || !record[parent].is_object() ||
      !record[parent].contains(field) || !record[parent][field].is_number_integer()) {
    return "-";
  }
  return trade::FormatDate(record[parent][field].get<int64_t>());
}

}  // namespace

// 5. Incomplete cert refused; a vague cert corrected in time; a correction never received.
void AddStory5(Timeline& t, StoryClient& c) {
  const std::string s = "5";
  auto cast = AdmitCast(t, c, s, false);
  t.At(s, "2024-12-20", [&c, s, cast] {
    json incomplete = UsmcaCert("S05-INCOMPLETE", cast->i, Sha256Hex("S05 incomplete"));
    incomplete["goods"].push_back({{"description", "Brake drums"}, {"hsCode", "8708.30"}});
    c.Check(s, "cert lacking one good's origin criterion", "CERT_INCOMPLETE:originCriterion",
            c.Submit(cast->producer, "cert.issue", incomplete).code);
    c.Check(s, "the incomplete cert is not anchored", "404 NOT_FOUND",
            StatusOf(c.Read(cast->producer, "/v1/certifications/S05-INCOMPLETE")));
    for (const char* id : {"S05-CERT-A", "S05-CERT-B"}) {
      json vague = UsmcaCert(id, cast->i, Sha256Hex(std::string("S05 vague ") + id));
      vague["goods"][0]["description"] = "Parts";
      c.Check(s, std::string("vague cert ") + id + " passes the automatic checks", "OK",
              c.Submit(cast->producer, "cert.issue", vague).code);
    }
  });
  auto in_time = std::make_shared<std::string>(EntryNo("5000001") + "#1");
  auto missed = std::make_shared<std::string>(EntryNo("5000002") + "#1");
  t.At(s, "2025-03-10", [&c, s, cast, in_time, missed] {  // a Monday
    for (const auto& [claim, cert] : {std::pair{*in_time, "S05-CERT-A"}, {*missed, "S05-CERT-B"}}) {
      std::string number = claim.substr(0, claim.find('#'));
      json entry = EntryBody(number, cast->i, {Line(1, "8708300050", "S", cert)}, "2025-03-10");
      c.Check(s, "importer files " + number + " citing " + cert, "OK",
              c.Submit(cast->importer, "entry.file", entry).code);
      c.Check(s, "claim " + claim, "ACCEPTED", ClaimOutcome(c, cast->importer, claim));
      json request = {{"claimId", claim}, {"reason", "goods description too vague for invoice"}};
      c.Check(s, "CBP requests a correction of " + claim, "OK",
              c.Submit(c.customs(), "claim.request-correction", request).code);
      ClaimRead read = ReadClaim(c, cast->importer, claim);
      c.Check(s, "claim state and due date (+5 business days)", "CORRECTION_REQUESTED 2025-03-17",
              read.state() + " " + DateOf(read.body, "correction", "dueAt"));
    }
  });
  t.At(s, "2025-03-14", [&c, s, cast, in_time] {  // day 4
    json fixed = UsmcaCert("S05-CERT-A2", cast->i, Sha256Hex("S05 corrected A2"));
    fixed["supersedes"] = "S05-CERT-A";
    fixed["signedAt"] = "2025-03-14";
    fixed["goods"][0]["description"] = "Brake pads, invoice 77-1, part BP-200";
    c.Check(s, "exporter anchors superseding cert on day 4", "OK",
            c.Submit(cast->producer, "cert.supersede", fixed).code);
    ClaimRead read = ReadClaim(c, cast->importer, *in_time);
    c.Check(s, "corrected claim back to ACCEPTED on the new cert", "ACCEPTED S05-CERT-A2",
            read.state() + " " + Field(read.body, "certRef"));
    c.Check(s, "old cert", "SUPERSEDED",
            Field(c.Read(cast->producer, "/v1/certifications/S05-CERT-A").body, "state"));
  });
  t.At(s, "2025-03-17", [&c, s, cast, missed] {
    c.Check(s, "deadlines enforced on the due date", "OK",
            c.Submit(cast->importer, "claim.enforce-deadlines", {{"claimIds", {*missed}}}).code);
    c.Check(s, "uncorrected claim on day 5", "CORRECTION_REQUESTED",
            ClaimOutcome(c, cast->importer, *missed));
  });
  t.At(s, "2025-03-18", [&c, s, cast, missed] {
    c.Check(s, "deadlines enforced the day after", "OK",
            c.Submit(cast->importer, "claim.enforce-deadlines", {{"claimIds", {*missed}}}).code);
    c.Check(s, "uncorrected claim after day 5", "DENIED CORRECTION_NOT_RECEIVED",
            ClaimOutcome(c, cast->importer, *missed));
  });
}

// 8. Low value without a cert, then a series request that is never met.
void AddStory8(Timeline& t, StoryClient& c) {
  const std::string s = "8";
  auto importer = std::make_shared<crypto::KeyPair>();
  auto claim = std::make_shared<std::string>(EntryNo("8000001") + "#1");
  t.Setup(s, [&c, s, importer] { *importer = AdmitImporter(c, s, "S08-IMP"); });
  t.At(s, "2025-03-10", [&c, s, importer, claim] {
    std::string number = claim->substr(0, claim->find('#'));
    json entry =
        EntryBody(number, "S08-IMP", {Line(1, "8708300050", "S", "", 1900.0)}, "2025-03-10");
    c.Check(s, "importer files a $1,900 line, SPI S, no cert", "OK",
            c.Submit(*importer, "entry.file", entry).code);
    ClaimRead read = ReadClaim(c, *importer, *claim);
    c.Check(s, "claim and basis", "ACCEPTED LOW_VALUE_EXEMPT",
            read.state() + " " + Field(read.body, "basis"));
  });
  t.At(s, "2025-03-20", [&c, s, importer, claim] {
    c.Check(s, "CBP opens a series request", "OK",
            c.Submit(c.customs(), "claim.request-series", {{"claimId", *claim}}).code);
    ClaimRead read = ReadClaim(c, *importer, *claim);
    c.Check(s, "series deadline (30 days)", "2025-04-19", DateOf(read.body, "series", "dueAt"));
  });
  t.At(s, "2025-04-19", [&c, s, importer, claim] {
    c.Check(s, "deadlines enforced on the due date", "OK",
            c.Submit(*importer, "claim.enforce-deadlines", {{"claimIds", {*claim}}}).code);
    c.Check(s, "claim on the due date", "ACCEPTED", ClaimOutcome(c, *importer, *claim));
  });
  t.At(s, "2025-04-20", [&c, s, importer, claim] {
    c.Check(s, "deadlines enforced after 30 days", "OK",
            c.Submit(*importer, "claim.enforce-deadlines", {{"claimIds", {*claim}}}).code);
    c.Check(s, "claim without a cert after 30 days", "DENIED SERIES_EVASION_NO_CERT",
            ClaimOutcome(c, *importer, *claim));
  });
}

// 9. Verification: a premature denial is blocked; the full path ends in DENIED, a voluntary
// correction in VOLUNTARILY_CORRECTED.
void AddStory9(Timeline& t, StoryClient& c) {
  const std::string s = "9";
  auto cast = AdmitCast(t, c, s, false);
  IssueCert(t, c, s, cast, "S09-CERT");
  std::string number = EntryNo("9000001");
  auto a = std::make_shared<std::string>(number + "#1");
  auto b = std::make_shared<std::string>(number + "#2");
  auto deny = std::make_shared<json>(json{{"caseId", "S09-CASE"},
                                          {"determination", "DENIED"},
                                          {"findings", "insufficient information on materials"},
                                          {"legalBasis", "19 CFR 182.72, 182.75"}});
  t.At(s, "2025-03-10", [&c, s, cast, number] {
    json entry =
        EntryBody(number, cast->i,
                  {Line(1, "8708300050", "S", "S09-CERT"), Line(2, "8708300050", "S", "S09-CERT")},
                  "2025-03-10");
    c.Check(s, "importer files " + number + " (2 claims)", "OK",
            c.Submit(cast->importer, "entry.file", entry).code);
  });
  t.At(s, "2025-04-01", [&c, s, cast, a, b] {
    json open = {{"caseId", "S09-CASE"},
                 {"claimIds", {*a, *b}},
                 {"method", "QUESTIONNAIRE"},
                 {"addressee", cast->i}};
    c.Check(s, "CBP opens a questionnaire to the importer", "OK",
            c.Submit(c.customs(), "case.open", open).code);
    c.Check(s, "claim under verification", "UNDER_VERIFICATION",
            ClaimOutcome(c, cast->importer, *a));
  });
  t.At(s, "2025-04-10", [&c, s, cast] {
    c.Check(s, "importer answers insufficiently", "OK",
            c.Submit(cast->importer, "case.respond",
                     {{"caseId", "S09-CASE"}, {"summary", "partial answers"}})
                .code);
  });
  t.At(s, "2025-04-11", [&c, s, deny] {
    c.Check(s, "CBP denies directly", "DENIAL_PRECONDITION_UNMET",
            c.Submit(c.customs(), "case.determine", *deny).code);
  });
  t.At(s, "2025-04-12", [&c, s, cast, b] {
    c.Check(s, "importer voluntarily corrects line 2", "OK",
            c.Submit(cast->importer, "claim.voluntary-correct",
                     {{"claimId", *b}, {"statement", "line 2 is not originating"}})
                .code);
  });
  t.At(s, "2025-04-14", [&c, s, cast] {
    json request = {{"caseId", "S09-CASE"}, {"method", "REQUEST_FOR_INFO"}, {"addressee", cast->p}};
    c.Check(s, "CBP also requests information from the producer", "OK",
            c.Submit(c.customs(), "case.request", request).code);
  });
  t.At(s, "2025-05-15", [&c, s] {
    c.Check(s, "CBP notifies intent to deny", "OK",
            c.Submit(c.customs(), "case.intent-to-deny",
                     {{"caseId", "S09-CASE"}, {"findings", "no answer on materials"}})
                .code);
  });
  t.At(s, "2025-06-01", [&c, s, deny] {
    c.Check(s, "CBP denies inside the response window", "DENIAL_PRECONDITION_UNMET",
            c.Submit(c.customs(), "case.determine", *deny).code);
  });
  t.At(s, "2025-06-16", [&c, s, cast, a, b, deny] {
    c.Check(s, "CBP denies after the window, no response", "OK",
            c.Submit(c.customs(), "case.determine", *deny).code);
    ClaimRead ra = ReadClaim(c, cast->importer, *a);
    json denial = ra.body.value("denial", json::object());
    c.Check(s, "line 1 claim", "DENIED", ra.state());
    c.Check(s, "line 1 findings", "insufficient information on materials",
            Field(denial, "findings"));
    c.Check(s, "line 1 legal basis", "19 CFR 182.72, 182.75", Field(denial, "legalBasis"));
    ClaimRead rb = ReadClaim(c, cast->importer, *b);
    c.Check(s, "line 2 claim, penaltyExempt", "VOLUNTARILY_CORRECTED true",
            rb.state() + " " + Field(rb.body, "penaltyExempt"));
    JsonResponse vcase = c.Read(cast->producer, "/v1/cases/S09-CASE");
    c.Check(s, "the producer (addressee) reads the case", "CLOSED DENIED",
            Field(vcase.body, "state") + " " + Field(vcase.body, "determination"));
  });
}

// 12. Filing on behalf: without, with and after a delegation.
void AddStory12(Timeline& t, StoryClient& c) {
  const std::string s = "12";
  auto cast = AdmitCast(t, c, s, true);
  IssueCert(t, c, s, cast, "S12-CERT");
  std::string first = EntryNo("1200001"), second = EntryNo("1200002");
  auto body = [cast](const std::string& number) {
    return EntryBody(number, cast->i, {Line(1, "8708300050", "S", "S12-CERT")}, "2025-03-10");
  };
  t.At(s, "2025-03-10", [&c, s, cast, first, body] {
    c.Check(s, "broker files for the importer, no delegation", "NOT_AUTHORIZED_FILER",
            c.Submit(cast->broker, "entry.file", body(first)).code);
    json grant = {{"delegationId", "S12-DELEGATION"},
                  {"agent", cast->b},
                  {"scope", {"FILE_ENTRY", "CLAIM_PREFERENCE"}},
                  {"validFrom", "2025-01-01"},
                  {"validTo", "2026-01-01"}};
    c.Check(s, "importer grants FILE_ENTRY + CLAIM_PREFERENCE", "OK",
            c.Submit(cast->importer, "delegation.grant", grant).code);
  });
  t.At(s, "2025-03-11", [&c, s, cast, first, body] {
    c.Check(s, "broker files under the delegation", "OK",
            c.Submit(cast->broker, "entry.file", body(first)).code);
    c.Check(s, "claim filed by the broker", "ACCEPTED",
            ClaimOutcome(c, cast->broker, first + "#1"));
  });
  t.At(s, "2025-03-12", [&c, s, cast] {
    c.Check(
        s, "importer revokes the delegation", "OK",
        c.Submit(cast->importer, "delegation.revoke", {{"delegationId", "S12-DELEGATION"}}).code);
  });
  t.At(s, "2025-03-13", [&c, s, cast, first, second, body] {
    c.Check(s, "broker files again after revocation", "NOT_AUTHORIZED_FILER",
            c.Submit(cast->broker, "entry.file", body(second)).code);
    c.Check(s, "broker's read of the entry after revocation", "403 NOT_AUTHORIZED",
            StatusOf(c.Read(cast->broker, "/v1/entries/" + first)));
  });
}

// 13. Confidentiality of a certification: metadata for a competitor, everything for CBP.
void AddStory13(Timeline& t, StoryClient& c) {
  const std::string s = "13";
  struct Keys {
    crypto::KeyPair exporter, importer, rival;
  };
  auto k = std::make_shared<Keys>();
  auto hash = std::make_shared<std::string>(Sha256Hex("S13 certificate of origin"));
  t.Setup(s, [&c, s, k] {
    k->exporter = c.Admit(s, "S13-MXE", {"EXPORTER"}, "MX");
    k->importer = AdmitImporter(c, s, "S13-IMP");
    k->rival = AdmitImporter(c, s, "S13-RIVAL");
  });
  t.At(s, "2024-12-20", [&c, s, k, hash] {
    json cert = UsmcaCert("S13-CERT", "S13-IMP", *hash);
    cert["certifierRole"] = "EXPORTER";
    cert["producer"] = "AVAILABLE_UPON_REQUEST";
    cert["producerOnRequest"] = PartyJson("Hidden Producer SA", "MX");
    c.Check(s, "exporter anchors cert, producer AVAILABLE_UPON_REQUEST", "OK",
            c.Submit(k->exporter, "cert.issue", cert).code);
  });
  t.At(s, "2025-01-15", [&c, s, k, hash] {
    auto sight = [&](const crypto::KeyPair& key) {
      JsonResponse r = c.Read(key, "/v1/certifications/S13-CERT");
      if (r.status != 200) return StatusOf(r);
      std::string view = Field(r.body, "view") == "metadata" ? "metadata" : "full";
      bool hidden = r.body.dump().find("Hidden Producer") == std::string::npos;
      return view + " " + Field(r.body, "state") + " " + Field(r.body, "contentHash").substr(0, 8) +
             ", producer " + (hidden ? "hidden" : "revealed");
    };
    std::string h = hash->substr(0, 8);
    c.Check(s, "competing importer reads the cert", "metadata ISSUED " + h + ", producer hidden",
            sight(k->rival));
    JsonResponse meta = c.Read(k->rival, "/v1/certifications/S13-CERT");
    c.Check(s, "competitor gets anchor fields only", "CERT_OF_ORIGIN USMCA no goods",
            Field(meta.body, "docType") + " " + Field(meta.body, "agreement") +
                (meta.body.contains("goods") ? " goods" : " no goods"));
    c.Check(s, "named importer reads the cert", "full ISSUED " + h + ", producer hidden",
            sight(k->importer));
    c.Check(s, "CBP reads the cert", "full ISSUED " + h + ", producer revealed",
            sight(c.customs()));
    JsonResponse cbp = c.Read(c.customs(), "/v1/certifications/S13-CERT");
    c.Check(s, "producer CBP sees", "Hidden Producer SA",
            cbp.body.contains("producerOnRequest") ? Field(cbp.body["producerOnRequest"], "name")
                                                   : "-");
    auto events = AuditEvents(c, k->exporter, "S13-CERT");
    c.Check(s, "owner's audit log: competitor's read", "true",
            Contains(events, "S13-RIVAL:METADATA") ? "true" : "false");
    c.Check(s, "owner's audit log: CBP's read", "true",
            Contains(events, "CBP:FULL") ? "true" : "false");
    auto all = AuditEvents(c, c.customs(), "S13-CERT");
    c.Check(s, "customs' audit view: both reads", "true",
            Contains(all, "S13-RIVAL:METADATA") && Contains(all, "CBP:FULL") ? "true" : "false");
  });
}

}  // namespace tradeledger::cli::stories
