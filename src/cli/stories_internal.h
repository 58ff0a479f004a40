// Internals of the stories (stories.h): the dated timeline, body builders shared by the
// stories, and each section's registration function.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/stories.h"
#include "cli/story_client.h"

namespace tradeledger::cli::stories {

using nlohmann::json;

// Steps, each dated; Run() executes them in date order (steps of one date in the order they
// were added), moving the ledger clock to each step's date first. Setup steps (admissions)
// run before every dated step, at the clock's start.
class Timeline {
 public:
  explicit Timeline(StoryClient& client) : c_(client) {}
  void Setup(std::string section, std::function<void()> fn);
  // `when`: "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ".
  void At(std::string section, std::string_view when, std::function<void()> fn);
  void Run();
  // The earliest dated step, or 0 if there is none.
  int64_t Earliest() const;

 private:
  struct Step {
    int64_t at;
    size_t seq;
    std::string section;
    std::function<void()> run;
  };
  StoryClient& c_;
  std::vector<Step> steps_;
};

// Registration of each section's steps. `s` is the section name used in its checks.
void AddStory1(Timeline& t, StoryClient& c);
void AddStory2(Timeline& t, StoryClient& c);
void AddStory3(Timeline& t, StoryClient& c);
void AddStory4(Timeline& t, StoryClient& c);
void AddStory5(Timeline& t, StoryClient& c);
void AddStory6(Timeline& t, StoryClient& c);
void AddStory7(Timeline& t, StoryClient& c);
void AddStory8(Timeline& t, StoryClient& c);
void AddStory9(Timeline& t, StoryClient& c);
void AddStory10(Timeline& t, StoryClient& c);
void AddStory11(Timeline& t, StoryClient& c);
void AddStory12(Timeline& t, StoryClient& c);
void AddStory13(Timeline& t, StoryClient& c);
void AddProofSection(Timeline& t, StoryClient& c);
void AddAccessSection(Timeline& t, StoryClient& c);
// The ledger basics (undated): anchors by an admitted organisation's keys, inclusion proofs
// verified offline, a tampered proof rejected, a consistency proof.
void RunLedgerBasics(StoryClient& c, int transactions, int signers);

// --- origin builders (the cast of DOMAIN.md §8, parameterised by organisation) ------------

inline constexpr char kIor[] = "12-3456789AB";

json PartyJson(const std::string& name, const std::string& country);
// Story 1's USMCA blanket certification: certifier PRODUCER, HS 8708.30, criterion B, blanket
// 2025, signed 2024-12-19, naming `importer_org` as importer.
json UsmcaCert(const std::string& cert_id, const std::string& importer_org,
               const std::string& content_hash);
json Line(uint64_t line_no, const std::string& hts, const std::string& spi, const std::string& cert,
          double value = 12000.0);
json EntryBody(const std::string& entry_number, const std::string& importer, json lines,
               const std::string& import_date);
// A valid entry number (filer ABC, check digit by the ledger's algorithm).
std::string EntryNo(const std::string& serial);
// Admits an importer with its IOR number, as the origin stories need.
crypto::KeyPair AdmitImporter(StoryClient& c, const std::string& section,
                              const std::string& org_id);

// A claim as `key` reads it (GET /v1/claims/{id}).
struct ClaimRead {
  std::string status;  // "200", "403 NOT_AUTHORIZED", ...
  json body;
  std::string state() const { return Field(body, "state"); }
  // The first reason code, or "-" if none.
  std::string code() const;
};
ClaimRead ReadClaim(StoryClient& c, const crypto::KeyPair& key, const std::string& claim_id);
// "STATE CODE" of a claim, e.g. "REJECTED HTS_NOT_COVERED" or "ACCEPTED" (no codes).
std::string ClaimOutcome(StoryClient& c, const crypto::KeyPair& key, const std::string& claim_id);
// Audit events about `subject` (customs key: all of them), as "readerOrg:outcome" strings.
std::vector<std::string> AuditEvents(StoryClient& c, const crypto::KeyPair& key,
                                     const std::string& subject);
bool Contains(const std::vector<std::string>& list, const std::string& item);

// The cast of an origin story: a Mexican producer that certifies (PRODUCER, EXPORTER), an
// importer and, if asked, a broker; org ids S<NN>-MXP, S<NN>-IMP, S<NN>-BRK.
struct Cast {
  crypto::KeyPair producer, importer, broker;
  std::string p, i, b;  // their org ids
};
std::shared_ptr<Cast> AdmitCast(Timeline& t, StoryClient& c, const std::string& s,
                                bool with_broker);
// The producer issues story 1's blanket certification under `cert_id` on `date`.
void IssueCert(Timeline& t, StoryClient& c, const std::string& s, std::shared_ptr<Cast> cast,
               const std::string& cert_id, const std::string& date = "2024-12-20");

}  // namespace tradeledger::cli::stories
