// The timeline of the stories, their shared builders and the entry points (stories.h).
#include "cli/stories.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>

#include "api/http/url.h"
#include "cli/stories_internal.h"
#include "trade/entry_number.h"
#include "trade/time_util.h"

namespace tradeledger::cli {
namespace stories {

void Timeline::Setup(std::string section, std::function<void()> fn) {
  steps_.push_back(
      {std::numeric_limits<int64_t>::min(), steps_.size(), std::move(section), std::move(fn)});
}

void Timeline::At(std::string section, std::string_view when, std::function<void()> fn) {
  steps_.push_back({Ms(when), steps_.size(), std::move(section), std::move(fn)});
}

int64_t Timeline::Earliest() const {
  int64_t earliest = 0;
  for (const Step& s : steps_) {
    if (s.at == std::numeric_limits<int64_t>::min()) continue;
    if (earliest == 0 || s.at < earliest) earliest = s.at;
  }
  return earliest;
}

void Timeline::Run() {
  std::stable_sort(steps_.begin(), steps_.end(), [](const Step& a, const Step& b) {
    return a.at != b.at ? a.at < b.at : a.seq < b.seq;
  });
  for (const Step& s : steps_) {
    if (s.at != std::numeric_limits<int64_t>::min()) {
      if (s.at < c_.clock()) {
        c_.Check(s.section, "step dated " + trade::FormatInstant(s.at),
                 "clock at or before the step", "clock at " + trade::FormatInstant(c_.clock()));
        continue;
      }
      if (!c_.AdvanceClock(s.at)) continue;
    }
    s.run();
  }
}

json PartyJson(const std::string& name, const std::string& country) {
  return {{"name", name},
          {"address", "1 Calle Uno, Monterrey"},
          {"countryIso2", country},
          {"phone", "+52 81 5555 0000"},
          {"email", "origin@example.com"}};
}

json UsmcaCert(const std::string& cert_id, const std::string& importer_org,
               const std::string& content_hash) {
  json certifier = PartyJson("MX Producer SA", "MX");
  certifier["title"] = "Export manager";
  json importer = PartyJson(importer_org + " Inc.", "US");
  importer["orgId"] = importer_org;
  return {{"certId", cert_id},
          {"agreement", "USMCA"},
          {"certifierRole", "PRODUCER"},
          {"certifier", certifier},
          {"exporter", PartyJson("MX Producer SA", "MX")},
          {"importer", importer},
          {"goods",
           {{{"description", "Brake parts for motor vehicles"},
             {"hsCode", "8708.30"},
             {"originCriterion", "B"}}}},
          {"singleShipment", false},
          {"blanketFrom", "2025-01-01"},
          {"blanketTo", "2025-12-31"},
          {"signedAt", "2024-12-19"},
          {"signatory", {{"name", "Ana Ruiz"}, {"title", "Export manager"}}},
          {"statementPresent", true},
          {"language", "es"},
          {"contentHash", content_hash}};
}

json Line(uint64_t line_no, const std::string& hts, const std::string& spi, const std::string& cert,
          double value) {
  json l = {{"lineNo", line_no},      {"hts10", hts},    {"countryOfOrigin", "MX"},
            {"mid", "MXMEXPRO12MON"}, {"quantity", 100}, {"uom", "PCS"},
            {"value", value}};
  if (!spi.empty()) l["spi"] = spi;
  if (!cert.empty()) l["certRef"] = cert;
  return l;
}

json EntryBody(const std::string& entry_number, const std::string& importer, json lines,
               const std::string& import_date) {
  return {{"entryNumber", entry_number},
          {"entryType", "01"},
          {"importer", importer},
          {"iorNumber", kIor},
          {"shipmentRef", "MAEU" + entry_number.substr(4, 7)},
          {"importDate", import_date},
          {"portCode", "2304"},
          {"lines", std::move(lines)}};
}

std::string EntryNo(const std::string& serial) { return trade::MakeEntryNumber("ABC", serial); }

crypto::KeyPair AdmitImporter(StoryClient& c, const std::string& section,
                              const std::string& org_id) {
  return c.Admit(section, org_id, {"IMPORTER"}, "US", json{{"iorNumber", kIor}});
}

std::string ClaimRead::code() const {
  if (!body.is_object() || !body.contains("reasonCodes") || !body["reasonCodes"].is_array() ||
      body["reasonCodes"].empty()) {
    return "-";
  }
  return body["reasonCodes"][0].is_string() ? body["reasonCodes"][0].get<std::string>() : "?";
}

ClaimRead ReadClaim(StoryClient& c, const crypto::KeyPair& key, const std::string& claim_id) {
  JsonResponse r = c.Read(key, "/v1/claims/" + api::http::PercentEncode(claim_id));
  return {StatusOf(r), r.body};
}

std::string ClaimOutcome(StoryClient& c, const crypto::KeyPair& key, const std::string& claim_id) {
  ClaimRead r = ReadClaim(c, key, claim_id);
  if (r.status != "200") return r.status;
  std::string code = r.code();
  return code == "-" ? r.state() : r.state() + " " + code;
}

std::vector<std::string> AuditEvents(StoryClient& c, const crypto::KeyPair& key,
                                     const std::string& subject) {
  JsonResponse r =
      c.Read(key, "/v1/audit-events?limit=1000&subject=" + api::http::PercentEncode(subject));
  std::vector<std::string> out;
  if (r.status != 200 || !r.body.contains("events")) return out;
  for (const json& e : r.body["events"]) {
    out.push_back(Field(e, "readerOrg") + ":" + Field(e, "outcome"));
  }
  return out;
}

std::shared_ptr<Cast> AdmitCast(Timeline& t, StoryClient& c, const std::string& s,
                                bool with_broker) {
  auto cast = std::make_shared<Cast>();
  cast->p = "S" + std::string(s.size() == 1 ? "0" : "") + s + "-MXP";
  cast->i = "S" + std::string(s.size() == 1 ? "0" : "") + s + "-IMP";
  cast->b = "S" + std::string(s.size() == 1 ? "0" : "") + s + "-BRK";
  t.Setup(s, [&c, s, cast, with_broker] {
    cast->producer = c.Admit(s, cast->p, {"PRODUCER", "EXPORTER"}, "MX");
    cast->importer = AdmitImporter(c, s, cast->i);
    if (with_broker) cast->broker = c.Admit(s, cast->b, {"BROKER"}, "US");
  });
  return cast;
}

void IssueCert(Timeline& t, StoryClient& c, const std::string& s, std::shared_ptr<Cast> cast,
               const std::string& cert_id, const std::string& date) {
  t.At(s, date, [&c, s, cast, cert_id] {
    json body = UsmcaCert(cert_id, cast->i, Sha256Hex("certificate of origin " + cert_id));
    c.Check(s, cast->p + " anchors USMCA blanket cert " + cert_id, "OK",
            c.Submit(cast->producer, "cert.issue", body).code);
  });
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace stories

std::vector<std::string> AllStorySections() {
  std::vector<std::string> out = {"basics"};
  for (int i = 1; i <= 13; ++i) out.push_back(std::to_string(i));
  out.push_back("proof");
  out.push_back("access");
  return out;
}

StoriesReport RunStories(const StoriesOptions& o) {
  StoriesReport report;
  auto started = std::chrono::steady_clock::now();
  const std::vector<std::string> all = AllStorySections();
  for (const auto& section : o.sections) {
    if (std::find(all.begin(), all.end(), section) == all.end()) {
      report.error = "no section '" + section + "' (sections: basics, 1..13, proof, access)";
      return report;
    }
  }
  std::string key_file = o.customs_key_file;
  if (key_file.empty()) {
    key_file =
        (std::filesystem::path(o.validators_file).parent_path() / "customs" / "admin.key").string();
  }
  auto client = StoryClient::Open(o.node_url, o.validators_file, key_file);
  if (!client) {
    report.error = client.error().ToString();
    return report;
  }
  StoryClient& c = **client;
  auto selected = [&](const std::string& s) {
    return o.sections.empty() || o.sections.contains(s);
  };
  try {
    if (auto ok = c.SyncClock(Ms(kStoriesClockStart)); !ok) {
      report.error = ok.error().ToString();
      return report;
    }
    stories::Timeline t(c);
    using Add = void (*)(stories::Timeline&, StoryClient&);
    const std::vector<std::pair<std::string, Add>> sections = {
        {"1", stories::AddStory1},
        {"2", stories::AddStory2},
        {"3", stories::AddStory3},
        {"4", stories::AddStory4},
        {"5", stories::AddStory5},
        {"6", stories::AddStory6},
        {"7", stories::AddStory7},
        {"8", stories::AddStory8},
        {"9", stories::AddStory9},
        {"10", stories::AddStory10},
        {"11", stories::AddStory11},
        {"12", stories::AddStory12},
        {"13", stories::AddStory13},
        {"proof", stories::AddProofSection},
        {"access", stories::AddAccessSection}};
    for (const auto& [name, add] : sections) {
      if (selected(name)) add(t, c);
    }
    int64_t earliest = t.Earliest();
    if (earliest != 0 && c.clock() > earliest) {
      report.error = "the network's ledger clock is at " + trade::FormatInstant(c.clock()) +
                     "; the stories start on " + trade::FormatInstant(earliest) +
                     " (create the network with `net init --ledger-clock " + kStoriesClockStart +
                     "`; the clock never goes back)";
      return report;
    }
    if (selected("basics")) stories::RunLedgerBasics(c, o.transactions, o.signers);
    int64_t from = c.clock();
    t.Run();
    c.Note("timeline: ledger clock moved " + std::to_string(c.clock_advances()) + " times, from " +
           trade::FormatDate(from) + " to " + trade::FormatDate(c.clock()));
  } catch (const std::exception& e) {
    // A JSON accessor on an unexpected answer: report it as a failed check, not a crash.
    c.Check("stories", "ran to the end", "no exception", e.what());
  }
  report.checks = c.checks();
  report.notes = c.notes();
  report.failed = c.failed();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

void PrintStoriesReport(const StoriesReport& r) {
  // Grouped by section in the order of AllStorySections(), each section's checks in the
  // order they ran (the timeline's order).
  std::vector<std::string> order = AllStorySections();
  for (const auto& check : r.checks) {
    if (std::find(order.begin(), order.end(), check.section) == order.end()) {
      order.push_back(check.section);
    }
  }
  auto label = [](const StoryCheck& c) {
    std::string section = c.section.size() <= 2 ? "story " + c.section : c.section;
    section.resize(std::max<size_t>(section.size(), 8), ' ');
    return section + "  " + trade::FormatDate(c.at) + "  " + c.name;
  };
  size_t w_label = 0, w_expected = 8, w_observed = 8;
  for (const auto& c : r.checks) {
    w_label = std::max(w_label, label(c).size());
    w_expected = std::max(w_expected, std::min<size_t>(c.expected.size(), 40));
    w_observed = std::max(w_observed, std::min<size_t>(c.observed.size(), 40));
  }
  auto cell = [](std::string text, size_t width) {
    if (text.size() < width) text.resize(width, ' ');
    return text;
  };
  std::printf("%s | %s | %s | result\n", cell("section   date        check", w_label).c_str(),
              cell("expected", w_expected).c_str(), cell("observed", w_observed).c_str());
  std::string previous;
  for (const auto& section : order) {
    for (const auto& c : r.checks) {
      if (c.section != section) continue;
      if (!previous.empty() && previous != section) std::printf("\n");
      previous = section;
      std::printf("%s | %s | %s | %s\n", cell(label(c), w_label).c_str(),
                  cell(c.expected, w_expected).c_str(), cell(c.observed, w_observed).c_str(),
                  c.pass ? "PASS" : "FAIL");
    }
  }
  for (const auto& note : r.notes) std::printf("\nnote: %s", note.c_str());
  std::set<std::string> sections;
  for (const auto& check : r.checks) sections.insert(check.section);
  std::printf("\n\nsummary: %zu checks in %zu sections, %zu PASS, %d FAIL (%.1f s)\n",
              r.checks.size(), sections.size(), r.checks.size() - static_cast<size_t>(r.failed),
              r.failed, r.seconds);
  std::fflush(stdout);
}

int Stories(const StoriesOptions& o) {
  StoriesReport r = RunStories(o);
  if (!r.error.empty()) {
    std::fprintf(stderr, "tradeledger demo: %s\n", r.error.c_str());
    return 1;
  }
  PrintStoriesReport(r);
  return r.failed == 0 && !r.checks.empty() ? 0 : 1;
}

}  // namespace tradeledger::cli
