// The DOMAIN.md §8 acceptance stories, run against a live ledger-clock network through its
// public HTTP API (`tradeledger demo`, tests/stories).
//
// One chronological timeline holds every dated step of the 13 stories (interleaved in date
// order); before each step the customs administrator moves the ledger clock forward to that
// step's date, so block times, deadlines and validity windows are the stories' own dates.
// Each story uses its own organisations, keys, certificate ids and entry numbers, so any
// subset of the stories can run alone on a fresh network and give the same results.
//
// Sections: "basics" (anchors, inclusion/consistency proofs), "1" .. "13" (the stories),
// "proof" (state proof of a certification across its withdrawal) and "access" (a denied read
// with its reason code; an entitled read, audited).
//
// Every check is reported as "section  ledger-date  check | expected | observed | PASS/FAIL".
#pragma once

#include <set>
#include <string>
#include <vector>

#include "cli/story_client.h"

namespace tradeledger::cli {

// The ledger clock's start the timeline needs (`net init --ledger-clock`): every organisation
// is admitted at this instant, before the earliest dated step (story 4, 2024-02-01).
inline constexpr char kStoriesClockStart[] = "2024-01-02T00:00:00Z";

// Every section, in the order they are reported.
std::vector<std::string> AllStorySections();

struct StoriesOptions {
  std::string node_url;
  std::string validators_file;
  std::string customs_key_file;    // empty: <dir of validators_file>/customs/admin.key
  std::set<std::string> sections;  // empty: all
  int transactions = 300;          // "basics": document anchors
  int signers = 6;                 // "basics": member keys that sign them
};

struct StoriesReport {
  std::string error;               // set when the stories could not run at all (no node, bad files)
  std::vector<StoryCheck> checks;  // in the order they ran
  std::vector<std::string> notes;
  int failed = 0;
  double seconds = 0;
};

// Runs the selected sections and returns their checks; prints nothing, never throws.
StoriesReport RunStories(const StoriesOptions& options);

// One aligned line per check, "section  ledger-date  check | expected | observed | PASS/FAIL",
// grouped by section (each in the order its checks ran), then the notes and a summary line.
void PrintStoriesReport(const StoriesReport& report);

// RunStories, then PrintStoriesReport. Exit code: 0 all checks passed, 1 a check failed or
// the stories could not run.
int Stories(const StoriesOptions& options);

}  // namespace tradeledger::cli
