#include "trade/ipr_assessment.h"

#include <algorithm>
#include <limits>
#include <set>

#include "trade/delegation.h"
#include "trade/entry.h"
#include "trade/identifiers.h"
#include "trade/ipr_common.h"
#include "trade/licence.h"
#include "trade/licence_rules.h"
#include "trade/participants.h"
#include "trade/recordation.h"

namespace tradeledger::trade {
namespace {

constexpr uint64_t kMaxLineQuantity = 1'000'000'000'000;  // bounds every quantity sum

// Reason codes of rule 28/29 in the order they are reported (the first is the primary one).
constexpr std::string_view kReasonOrder[] = {"RECORDATION_NOT_ACTIVE",  "LICENSE_REVOKED",
                                             "LICENSE_EXPIRED",         "LICENSE_SUSPENDED",
                                             "LICENSE_NOT_YET_VALID",   "PRODUCT_NOT_COVERED",
                                             "MID_NOT_AUTHORIZED",      "COUNTRY_NOT_AUTHORIZED",
                                             "IMPORTER_NOT_AUTHORIZED", "QUANTITY_LIMIT_EXCEEDED"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpperAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); }

// `^[A-Z0-9]{3}-?[0-9]{7}-?[0-9]$` in canonical XXX-NNNNNNN-C form, or empty.
std::string CanonicalEntryNumber(std::string_view text) {
  std::string s(text);
  if (s.size() > 3 && s[3] == '-') s.erase(3, 1);
  if (s.size() > 10 && s[10] == '-') s.erase(10, 1);
  if (s.size() != 11 || !std::all_of(s.begin(), s.begin() + 3, IsUpperAlnum) ||
      !std::all_of(s.begin() + 3, s.end(), IsDigit)) {
    return "";
  }
  return s.substr(0, 3) + "-" + s.substr(3, 7) + "-" + s.substr(10);
}

bool SameBrand(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

bool CoversHts(const Licence& l, const std::string& hts10) {
  for (const LicensedProduct& p : l.products) {
    for (const std::string& prefix : p.hts_prefixes) {
      if (hts10.starts_with(prefix)) return true;
    }
  }
  return false;
}

IprAssessmentResult NoCredential(std::string detail) {
  IprAssessmentResult out;
  out.result = "NO_CREDENTIAL";
  out.reason_codes = {"NO_CREDENTIAL"};
  out.detail = std::move(detail);
  return out;
}

}  // namespace

core::Result<LineForAssessment> ParseAssessLine(const Json& body) {
  LineForAssessment line;
  TL_ASSIGN_OR_RETURN(std::string entry, GetString(body, "entryNumber", 16));
  line.entry_number = CanonicalEntryNumber(entry);
  if (line.entry_number.empty()) {
    return core::Fail("ENTRY_NUMBER_INVALID", "'" + entry + "' is not XXX-NNNNNNN-C");
  }
  TL_ASSIGN_OR_RETURN(line.line_no, GetUint(body, "lineNo"));
  if (line.line_no < 1 || line.line_no > 9999) {
    return core::Fail("PAYLOAD_INVALID", "lineNo must be 1..9999");
  }
  TL_ASSIGN_OR_RETURN(line.importer, GetString(body, "importer", 64));
  TL_ASSIGN_OR_RETURN(std::string hts, GetString(body, "hts10", 16));
  std::erase(hts, '.');
  if (hts.size() != 10 || !std::all_of(hts.begin(), hts.end(), IsDigit)) {
    return core::Fail("HTS_FORMAT", "hts10 must be exactly 10 digits");
  }
  line.hts10 = hts;
  TL_ASSIGN_OR_RETURN(line.country_of_origin, GetString(body, "countryOfOrigin", 2));
  if (!IsCountryCode(line.country_of_origin)) {
    return core::Fail("COUNTRY_CODE_INVALID", "'" + line.country_of_origin + "'");
  }
  TL_ASSIGN_OR_RETURN(line.mid, GetString(body, "mid", 15));
  if (!IsValidMid(line.mid)) return core::Fail("MID_FORMAT", "'" + line.mid + "' is not a MID");
  TL_ASSIGN_OR_RETURN(line.quantity, GetUint(body, "quantity"));
  if (line.quantity == 0 || line.quantity > kMaxLineQuantity) {
    return core::Fail("PAYLOAD_INVALID", "quantity must be 1..10^12");
  }
  TL_ASSIGN_OR_RETURN(line.import_date, GetDate(body, "importDate"));
  TL_ASSIGN_OR_RETURN(line.brand, GetOptString(body, "brand", 256));
  TL_ASSIGN_OR_RETURN(line.recordation_refs,
                      GetStringArray(body, "recordationRefs", 16, 32, /*required=*/false));
  TL_ASSIGN_OR_RETURN(line.license_refs,
                      GetStringArray(body, "licenseRefs", kMaxLicenceChainDepth, 128, false));
  return line;
}

core::Result<IprAssessmentResult> AssessLine(const StateReader& state,
                                             const LineForAssessment& line, int64_t /*time*/) {
  if (line.license_refs.empty()) return NoCredential("no licence presented");
  TL_ASSIGN_OR_RETURN(std::optional<Licence> leaf, LoadLicence(state, line.license_refs[0]));
  if (!leaf) return NoCredential("licence " + line.license_refs[0] + " is not on the ledger");
  TL_ASSIGN_OR_RETURN(std::vector<Licence> chain, LoadAncestry(state, *leaf));
  for (size_t i = 1; i < line.license_refs.size(); ++i) {
    if (i >= chain.size() || chain[i].license_id != line.license_refs[i]) {
      return NoCredential("presented chain does not follow the ledger's parent links at " +
                          line.license_refs[i]);
    }
  }
  IprAssessmentResult out;
  std::set<std::string_view> reasons;
  for (const Licence& l : chain) {
    out.license_chain.push_back(l.license_id);
    out.licensors.push_back(l.licensor);
  }
  const Licence& root = chain.back();
  out.recordations = root.recordation_refs;

  // The recordations the chain is rooted in (those the line names, when it names any).
  std::vector<std::string> considered;
  for (const std::string& no : root.recordation_refs) {
    if (line.recordation_refs.empty() || IprContains(line.recordation_refs, no)) {
      considered.push_back(no);
    }
  }
  bool recordation_active = false;
  bool brand_covered = !line.brand.has_value();
  bool importer_ok = false;
  for (const std::string& no : considered) {
    TL_ASSIGN_OR_RETURN(std::optional<Recordation> r, LoadRecordation(state, no));
    if (!r) continue;
    recordation_active |= RecordationStateAt(*r, line.import_date) == "ACTIVE";
    if (line.brand && SameBrand(*line.brand, r->mark)) brand_covered = true;
    importer_ok |= r->owner == line.importer;
  }
  if (!recordation_active) reasons.insert("RECORDATION_NOT_ACTIVE");
  if (considered.empty() || !brand_covered) reasons.insert("PRODUCT_NOT_COVERED");

  bool manufacture_allowed = false;
  for (const Licence& l : chain) {
    std::string own = LicenceOwnStateAt(l, line.import_date);
    if (own == "REVOKED") reasons.insert("LICENSE_REVOKED");
    if (own == "EXPIRED") reasons.insert("LICENSE_EXPIRED");
    if (own == "SUSPENDED") reasons.insert("LICENSE_SUSPENDED");
    if (own == "ISSUED") reasons.insert("LICENSE_NOT_YET_VALID");
    if (!CoversHts(l, line.hts10)) reasons.insert("PRODUCT_NOT_COVERED");
    if (!l.mids.empty() && !IprContains(l.mids, line.mid)) reasons.insert("MID_NOT_AUTHORIZED");
    if (!l.countries.empty() && !IprContains(l.countries, line.country_of_origin)) {
      reasons.insert("COUNTRY_NOT_AUTHORIZED");
    }
    manufacture_allowed |= l.Allows(kPermManufacture);
    importer_ok |= (l.licensee == line.importer && l.Allows(kPermImport)) ||
                   IprContains(l.importers, line.importer);
  }
  if (!manufacture_allowed) reasons.insert("MID_NOT_AUTHORIZED");
  if (!importer_ok) reasons.insert("IMPORTER_NOT_AUTHORIZED");

  // Rule 29: authorised lines count against every link; a limit is only ever a FLAG.
  out.counts_quantity = reasons.empty();
  TL_ASSIGN_OR_RETURN(std::optional<uint64_t> remaining, RemainingQuantity(state, chain));
  if (remaining && line.quantity > *remaining) {
    reasons.insert("QUANTITY_LIMIT_EXCEEDED");
    out.detail = "quantity " + std::to_string(line.quantity) + " exceeds the remaining " +
                 std::to_string(*remaining);
  }
  for (std::string_view code : kReasonOrder) {
    if (reasons.contains(code)) out.reason_codes.emplace_back(code);
  }
  out.result = out.reason_codes.empty() ? "FACILITATE" : "FLAG";
  return out;
}

core::Status ApplyQuantityUse(WorkingState& state, const IprAssessmentResult& result,
                              uint64_t quantity) {
  if (!result.counts_quantity) return core::Ok();
  for (const std::string& id : result.license_chain) {
    TL_ASSIGN_OR_RETURN(uint64_t used, LoadQuantityUsed(state, id));
    constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
    // Saturating, so a stored count always reads back as a non-negative int64.
    uint64_t total = quantity > kMax || used > kMax - quantity ? kMax : used + quantity;
    SaveQuantityUsed(state, id, total);
  }
  return core::Ok();
}

core::Bytes AssessmentKey(std::string_view entry_number, uint64_t line_no) {
  return core::ToBytes("ipr-assessment/" + std::string(entry_number) + "#" +
                       std::to_string(line_no));
}

Json AssessmentRecord(const LineForAssessment& line, const IprAssessmentResult& result,
                      std::string_view filed_by, int64_t time, std::string_view tx_id) {
  Json line_json = {{"hts10", line.hts10},
                    {"countryOfOrigin", line.country_of_origin},
                    {"mid", line.mid},
                    {"quantity", line.quantity},
                    {"importDate", line.import_date},
                    {"recordationRefs", line.recordation_refs},
                    {"licenseRefs", line.license_refs}};
  if (line.brand) line_json["brand"] = *line.brand;
  return {{"assessmentId", line.entry_number + "#" + std::to_string(line.line_no)},
          {"entryNumber", line.entry_number},
          {"lineNo", line.line_no},
          {"importer", line.importer},
          {"filedBy", filed_by},
          {"line", line_json},
          {"result", result.result},
          {"reasonCodes", result.reason_codes},
          {"licenseChain", result.license_chain},
          {"licensors", result.licensors},
          {"recordations", result.recordations},
          {"countsQuantity", result.counts_quantity},
          {"detail", result.detail},
          {"assessedAt", time},
          {"txId", tx_id}};
}

core::Result<std::optional<Json>> LoadAssessment(const StateReader& state,
                                                 std::string_view entry_number, uint64_t line_no) {
  std::string canonical = CanonicalEntryNumber(entry_number);
  if (canonical.empty()) return std::optional<Json>();
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(AssessmentKey(canonical, line_no)));
  if (!raw) return std::optional<Json>();
  TL_ASSIGN_OR_RETURN(Json j, FromStateValue(*raw));
  if (!j.is_object()) return core::Fail("STATE_CORRUPT", "IPR assessment");
  return std::optional<Json>(std::move(j));
}

core::Result<TxOutcome> ExecuteIprAssess(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return IprFromError(body.error());
  auto parsed = ParseAssessLine(*body);
  if (!parsed) return IprFromError(parsed.error());
  const LineForAssessment& line = *parsed;
  // The importer itself (IMPORTER key) or a broker (BROKER key) acting under its delegation.
  bool role_ok = actor->org.org_id == line.importer ? actor->Has("IMPORTER") : actor->Has("BROKER");
  TL_ASSIGN_OR_RETURN(bool may_act, MayActForImporter(state, actor->org.org_id, line.importer,
                                                      kScopePresentLicense, now));
  if (!may_act || !role_ok) {
    return TxOutcome{"NOT_AUTHORIZED_FILER",
                     actor->org.org_id + " may not present licences for " + line.importer};
  }
  // A line whose entry summary is on the ledger must be assessed as filed. A line may also be
  // assessed before its entry is filed (advance IPR data, as in CBP's 2014 test); the entry
  // module then sees the assessment under the same entry number and line.
  TL_ASSIGN_OR_RETURN(std::optional<Json> entry, LoadEntry(state, line.entry_number));
  if (entry) {
    const Json* filed = FindLine(*entry, line.line_no);
    if (!filed) {
      return TxOutcome{"IPR_LINE_MISMATCH", "entry " + line.entry_number + " has no line " +
                                                std::to_string(line.line_no)};
    }
    bool same = entry->value("importer", "") == line.importer &&
                filed->value("hts10", "") == line.hts10 &&
                filed->value("countryOfOrigin", "") == line.country_of_origin &&
                filed->value("mid", "") == line.mid &&
                filed->value("quantity", uint64_t{0}) == line.quantity &&
                entry->value("importDate", int64_t{-1}) == line.import_date;
    if (!same) {
      return TxOutcome{"IPR_LINE_MISMATCH", "the assessed line differs from line " +
                                                std::to_string(line.line_no) + " of entry " +
                                                line.entry_number + " as filed"};
    }
  }
  core::Bytes key = AssessmentKey(line.entry_number, line.line_no);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> existing, state.Get(key));
  if (existing) {
    return TxOutcome{"ASSESSMENT_EXISTS", line.entry_number + "#" + std::to_string(line.line_no)};
  }
  TL_ASSIGN_OR_RETURN(IprAssessmentResult result, AssessLine(state, line, now));
  TL_RETURN_IF_ERROR(ApplyQuantityUse(state, result, line.quantity));
  state.Put(key,
            ToStateValue(AssessmentRecord(line, result, actor->org.org_id, now, tx.tx_id.hex())));
  std::string detail = result.result;
  for (const std::string& r : result.reason_codes) detail += " " + r;
  return TxOutcome{"OK", detail};
}

}  // namespace tradeledger::trade
