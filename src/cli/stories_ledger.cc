// The "proof" and "access" sections of the stories: a certification's state proof verified
// offline across its withdrawal, and a denied read beside an entitled, audited one.
#include <chrono>
#include <memory>
#include <thread>

#include "cli/stories_internal.h"
#include "core/bytes.h"
#include "node/proof_bundle.h"

namespace tradeledger::cli::stories {
namespace {

// The certification's state inside a state bundle ("absent" if the key has no value).
std::string StateInBundle(const json& bundle) {
  if (!bundle.is_object() || !bundle.contains("value") || bundle["value"].is_null()) {
    return "absent";
  }
  auto raw = core::FromBase64(Field(bundle, "value"));
  if (!raw) return "undecodable";
  json cert = json::parse(core::AsStringView(*raw), nullptr, false);
  return cert.is_object() ? Field(cert, "state") : "not JSON";
}

// Polls the proof of `key` until the proven state is `want` (the header certifying a block's
// state is the next block's, which the node produces shortly after); bounded to 15 s.
json ProofShowing(StoryClient& c, const crypto::KeyPair& reader, const std::string& key,
                  const std::string& want) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  json last;
  while (true) {
    JsonResponse r = c.Read(reader, "/v1/state/proof?key=" + key);
    if (r.status == 200) last = r.body;
    if (StateInBundle(last) == want || std::chrono::steady_clock::now() > deadline) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string Verifies(StoryClient& c, const json& bundle) {
  auto v = node::VerifyBundle(bundle, c.trusted());
  return v ? "verifies" : "rejected: " + v.error().code;
}

}  // namespace

void AddProofSection(Timeline& t, StoryClient& c) {
  const std::string s = "proof";
  auto cast = std::make_shared<Cast>();
  cast->p = "PRF-MXP";
  cast->i = "PRF-IMP";
  t.Setup(s, [&c, s, cast] {
    cast->producer = c.Admit(s, cast->p, {"PRODUCER", "EXPORTER"}, "MX");
    cast->importer = AdmitImporter(c, s, cast->i);
    cast->broker = AdmitImporter(c, s, "PRF-OTHER");
  });
  IssueCert(t, c, s, cast, "PRF-CERT");
  auto old_bundle = std::make_shared<json>();
  t.At(s, "2025-01-20", [&c, s, cast, old_bundle] {
    *old_bundle = ProofShowing(c, cast->producer, "cert/PRF-CERT", "ISSUED");
    c.Check(s, "certifier's state proof of cert/PRF-CERT", "verifies", Verifies(c, *old_bundle));
    c.Check(s, "state it proves", "ISSUED", StateInBundle(*old_bundle));
    json tampered = *old_bundle;
    auto raw = core::FromBase64(Field(tampered, "value"));
    if (raw && !raw->empty()) {
      (*raw)[raw->size() / 2] ^= 0x01;
      tampered["value"] = core::ToBase64(*raw);
    }
    c.Check(s, "the proof with its value altered", "rejected: PROOF_INVALID",
            Verifies(c, tampered));
    c.Check(s, "another organisation's proof request", "403 NOT_AUTHORIZED",
            StatusOf(c.Read(cast->broker, "/v1/state/proof?key=cert/PRF-CERT")));
    TxResult w = c.Submit(cast->producer, "cert.withdraw",
                          {{"certId", "PRF-CERT"}, {"reason", "issued in error"}});
    c.Check(s, "certifier withdraws the cert", "OK", w.code);
    json fresh = ProofShowing(c, cast->producer, "cert/PRF-CERT", "WITHDRAWN");
    c.Check(s, "new proof", "verifies", Verifies(c, fresh));
    c.Check(s, "state the new proof shows", "WITHDRAWN", StateInBundle(fresh));
    c.Check(s, "old proof, against its old header", "verifies", Verifies(c, *old_bundle));
    c.Check(s, "old proof still shows", "ISSUED", StateInBundle(*old_bundle));
    c.Check(s, "new proof's block is later", "true",
            fresh.value("height", uint64_t{0}) > old_bundle->value("height", uint64_t{0})
                ? "true"
                : "false");
  });
}

void AddAccessSection(Timeline& t, StoryClient& c) {
  const std::string s = "access";
  auto cast = std::make_shared<Cast>();
  cast->p = "ACC-MXP";
  cast->i = "ACC-IMP";
  auto rival = std::make_shared<crypto::KeyPair>();
  t.Setup(s, [&c, s, cast, rival] {
    cast->producer = c.Admit(s, cast->p, {"PRODUCER", "EXPORTER"}, "MX");
    cast->importer = AdmitImporter(c, s, cast->i);
    *rival = AdmitImporter(c, s, "ACC-RIVAL");
  });
  IssueCert(t, c, s, cast, "ACC-CERT");
  t.At(s, "2025-03-10", [&c, s, cast, rival] {
    std::string number = EntryNo("7700001");
    json entry = EntryBody(number, cast->i, {Line(1, "8708300050", "S", "ACC-CERT")}, "2025-03-10");
    c.Check(s, "importer files " + number, "OK",
            c.Submit(cast->importer, "entry.file", entry).code);
    JsonResponse denied = c.Read(*rival, "/v1/entries/" + number);
    c.Check(s, "another importer reads the entry", "403 NOT_AUTHORIZED", StatusOf(denied));
    c.Check(s, "... and its claim", "403 NOT_AUTHORIZED",
            ReadClaim(c, *rival, number + "#1").status);
    JsonResponse cbp = c.Read(c.customs(), "/v1/entries/" + number);
    c.Check(s, "CBP reads the same entry", "200 full",
            StatusOf(cbp) + " " + Field(cbp.body, "view"));
    auto all = AuditEvents(c, c.customs(), number);
    c.Check(s, "audit log: the denied read", "true",
            Contains(all, "ACC-RIVAL:DENIED") ? "true" : "false");
    c.Check(s, "audit log: CBP's read", "true", Contains(all, "CBP:FULL") ? "true" : "false");
    c.Check(s, "importer's audit view shows CBP's read", "true",
            Contains(AuditEvents(c, cast->importer, number), "CBP:FULL") ? "true" : "false");
  });
}

}  // namespace tradeledger::cli::stories
