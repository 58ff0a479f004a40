#include "trade/entry.h"

#include <map>
#include <set>

#include "trade/certification.h"
#include "trade/claim_rules.h"
#include "trade/claim_transitions.h"
#include "trade/delegation.h"
#include "trade/entry_number.h"
#include "trade/identifiers.h"
#include "trade/ior_number.h"
#include "trade/origin_common.h"
#include "trade/origin_reasons.h"
#include "trade/participants.h"

namespace tradeledger::trade {
namespace {

constexpr size_t kMaxLines = 999;

// Parses one line into its stored shape, adding data-rule codes (2, 3, 5) to `codes`.
core::Result<Json> ParseLine(const Json& l, std::vector<std::string>& codes) {
  if (!l.is_object()) return core::Fail("PAYLOAD_INVALID", "lines[] must be objects");
  TL_ASSIGN_OR_RETURN(uint64_t line_no, GetUint(l, "lineNo"));
  if (line_no == 0 || line_no > 9999) return core::Fail("PAYLOAD_INVALID", "lineNo 1..9999");
  TL_ASSIGN_OR_RETURN(std::string hts, GetString(l, "hts10", 16));
  TL_ASSIGN_OR_RETURN(std::string coo, GetString(l, "countryOfOrigin", 8));
  TL_ASSIGN_OR_RETURN(std::string mid, GetString(l, "mid", 32));
  TL_ASSIGN_OR_RETURN(uint64_t quantity, GetUint(l, "quantity"));
  TL_ASSIGN_OR_RETURN(std::string uom, GetString(l, "uom", 16));
  TL_ASSIGN_OR_RETURN(uint64_t value, GetCents(l, "value"));
  TL_ASSIGN_OR_RETURN(std::optional<std::string> spi, GetOptString(l, "spi", 4));
  TL_ASSIGN_OR_RETURN(std::optional<std::string> agreement, GetOptString(l, "agreement", 16));
  TL_ASSIGN_OR_RETURN(std::optional<std::string> cert_ref, GetOptString(l, "certRef", 128));
  TL_ASSIGN_OR_RETURN(std::optional<std::string> basis, GetOptString(l, "basis", 32));
  TL_ASSIGN_OR_RETURN(std::vector<std::string> licenses,
                      GetStringArray(l, "licenseRefs", 16, 128, /*required=*/false));
  Json ipr = Json::object();
  if (l.contains("ipr") && !l["ipr"].is_null()) {
    const Json& i = l["ipr"];
    if (!i.is_object()) return core::Fail("PAYLOAD_INVALID", "ipr must be an object");
    TL_ASSIGN_OR_RETURN(std::optional<std::string> brand, GetOptString(i, "brand", 128));
    TL_ASSIGN_OR_RETURN(std::vector<std::string> recs,
                        GetStringArray(i, "recordationRefs", 16, 64, /*required=*/false));
    if (brand) ipr["brand"] = *brand;
    if (!recs.empty()) ipr["recordationRefs"] = recs;
  }
  std::optional<std::string> digits = HtsDigits(hts);
  if (!digits || digits->size() != 10) codes.push_back("HTS_FORMAT");  // rule 2
  if (!IsCountryCode(coo)) codes.push_back("COUNTRY_CODE_INVALID");    // rule 3
  if (!IsValidMid(mid)) codes.push_back("MID_FORMAT");                 // rule 5
  Json line = {{"lineNo", line_no},   {"hts10", digits.value_or(hts)}, {"countryOfOrigin", coo},
               {"mid", mid},          {"quantity", quantity},          {"uom", uom},
               {"valueCents", value}, {"licenseRefs", licenses},       {"ipr", ipr}};
  if (spi) line["spi"] = *spi;
  if (agreement) line["agreement"] = *agreement;
  if (cert_ref) line["certRef"] = *cert_ref;
  if (basis) line["basis"] = *basis;
  return line;
}

}  // namespace

core::Result<std::optional<Json>> LoadEntry(const StateReader& state,
                                            std::string_view entry_number) {
  auto parsed = ParseEntryNumber(entry_number);
  if (!parsed) return std::optional<Json>();
  return LoadJson(state, EntryStateKey(parsed->Canonical()));
}

void SaveEntry(WorkingState& state, const Json& entry) {
  PutJson(state, EntryStateKey(entry["entryNumber"].get<std::string>()), entry);
}

const Json* FindLine(const Json& entry, uint64_t line_no) {
  if (!entry.contains("lines")) return nullptr;
  for (const Json& l : entry["lines"]) {
    if (l.value("lineNo", uint64_t{0}) == line_no) return &l;
  }
  return nullptr;
}

core::Result<TxOutcome> ExecuteEntryFile(WorkingState& state, const TxContext& tx) {
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body_or = ParseBody(tx.body);
  if (!body_or) return Outcome(body_or.error());
  const Json& body = *body_or;
  Json entry;
  std::vector<std::string> codes;
  auto number = GetString(body, "entryNumber", 16);
  auto type = GetString(body, "entryType", 2);
  auto importer = GetString(body, "importer", 64);
  auto ior = GetString(body, "iorNumberHash", 64);
  auto shipment = GetString(body, "shipmentRef", 64);
  auto import_date = GetDate(body, "importDate");
  auto filed_at = GetOptInstant(body, "summaryFiledAt");
  auto port = GetString(body, "portCode", 8);
  auto commercial = GetOptBool(body, "commercial");
  auto lines = GetArray(body, "lines", kMaxLines);
  for (const core::Error* e :
       {number ? nullptr : &number.error(), type ? nullptr : &type.error(),
        importer ? nullptr : &importer.error(), ior ? nullptr : &ior.error(),
        shipment ? nullptr : &shipment.error(), import_date ? nullptr : &import_date.error(),
        filed_at ? nullptr : &filed_at.error(), port ? nullptr : &port.error(),
        commercial ? nullptr : &commercial.error(), lines ? nullptr : &lines.error()}) {
    if (e) return Outcome(*e);
  }
  if ((*lines)->empty()) return TxOutcome{"PAYLOAD_INVALID", "an entry has at least one line"};

  // Rule 25: the importer itself, or a broker delegated for the filing and the claims.
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> imp, LoadOrganisation(state, *importer));
  if (!imp || !imp->roles.contains("IMPORTER")) {
    return TxOutcome{"ORG_NOT_FOUND", "no importer organisation " + *importer};
  }
  bool claims_preference = false;
  for (const Json& l : **lines) claims_preference |= l.is_object() && l.contains("spi");
  bool self = actor->org.org_id == *importer && actor->Has("IMPORTER");
  if (!self) {
    bool ok = actor->Has("BROKER");
    for (const char* scope : {kScopeFileEntry, kScopeClaimPreference}) {
      if (!ok || (std::string_view(scope) == kScopeClaimPreference && !claims_preference)) continue;
      TL_ASSIGN_OR_RETURN(ok, MayActForImporter(state, actor->org.org_id, *importer, scope, now));
    }
    if (!ok) {
      return TxOutcome{"NOT_AUTHORIZED_FILER",
                       actor->org.org_id + " has no active delegation from " + *importer};
    }
  }

  // Entry data rules 1-5 (and types), all reported.
  auto parsed_number = ParseEntryNumber(*number);
  std::string canonical;
  if (!parsed_number) {
    codes.push_back("ENTRY_NUMBER_INVALID");
  } else {
    canonical = parsed_number->Canonical();
    TL_ASSIGN_OR_RETURN(std::optional<Json> dup, LoadJson(state, EntryStateKey(canonical)));
    if (dup) codes.push_back("ENTRY_NUMBER_DUPLICATE");
  }
  // Rule 4: the submitter checked the number's format and sent only its hash.
  if (!IsIorNumberHash(*ior)) codes.push_back("IOR_FORMAT");
  Json stored_lines = Json::array();
  std::set<uint64_t> line_numbers;
  for (const Json& l : **lines) {
    auto line = ParseLine(l, codes);
    if (!line) return Outcome(line.error());
    if (!line_numbers.insert((*line)["lineNo"].get<uint64_t>()).second) {
      return TxOutcome{"PAYLOAD_INVALID", "duplicate lineNo"};
    }
    stored_lines.push_back(std::move(*line));
  }
  SortByRule(codes);
  if (!codes.empty()) return RuleOutcome(codes);
  if (!IsKnownEntryType(*type)) return TxOutcome{"ENTRY_TYPE_INVALID", "entry type " + *type};
  int64_t summary_filed_at = filed_at->value_or(now);
  if (summary_filed_at > now) {
    return TxOutcome{"ENTRY_DATE_INVALID", "summaryFiledAt is after the block time"};
  }
  if (!imp->ior_number_hash.empty() && imp->ior_number_hash != *ior) {
    return TxOutcome{"IOR_MISMATCH", "IOR number is not the importer's registered number"};
  }

  entry = {{"entryNumber", canonical},
           {"entryType", *type},
           {"filerCode", parsed_number->filer_code},
           {"importer", *importer},
           {"importerName", imp->legal_name},
           {"iorNumberHash", *ior},
           {"filedBy", actor->org.org_id},
           {"filedByKey", tx.signer.hex()},
           {"shipmentRef", *shipment},
           {"importDate", *import_date},
           {"summaryFiledAt", summary_filed_at},
           {"portCode", *port},
           {"commercial", commercial->value_or(true)},
           {"lines", std::move(stored_lines)},
           {"claimIds", Json::array()},
           {"recordedAt", now},
           {"txId", tx.tx_id.hex()},
           {"height", tx.height.value},
           {"openCases", Json::array()}};
  ExtendRetention(entry, *import_date);

  // Rule 20's originating value: lines claiming each agreement without a certification.
  std::map<std::string, uint64_t> low_value;
  for (const Json& l : entry["lines"]) {
    if (l.contains("spi") && !l.contains("certRef")) {
      low_value[AgreementOfSpi(l["spi"].get<std::string>())] += l["valueCents"].get<uint64_t>();
    }
  }
  // The certifications the lines cite, each read once and shared, not copied: the lines of an
  // entry mostly cite one blanket certification, and RecordCitation replaces the record it
  // changes (and saves), so the next line sees what reading it again from `state` would give.
  std::map<std::string, std::shared_ptr<const Json>, std::less<>> certs;
  for (Json& line : entry["lines"]) {
    if (!line.contains("spi")) continue;
    std::shared_ptr<const Json>* cited = nullptr;
    if (line.contains("certRef")) {
      const std::string& ref = line["certRef"].get_ref<const std::string&>();
      auto it = certs.find(ref);
      if (it == certs.end()) {
        TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> read, ShareCertification(state, ref));
        it = certs.emplace(ref, std::move(read)).first;
      }
      cited = &it->second;
    }
    const Json* cert = cited != nullptr ? cited->get() : nullptr;
    ClaimDecision d =
        DecideClaim(entry, line, cert, low_value[AgreementOfSpi(line["spi"].get<std::string>())]);
    std::string claim_id = ClaimId(canonical, line["lineNo"].get<uint64_t>());
    Json claim = {{"claimId", claim_id},
                  {"entryNumber", canonical},
                  {"lineNo", line["lineNo"]},
                  {"importer", *importer},
                  {"filedBy", actor->org.org_id},
                  {"agreement", d.agreement},
                  {"spi", line["spi"]},
                  {"certRef", line.value("certRef", Json())},
                  {"certifierOrg", cert ? cert->value("certifierOrg", Json()) : Json()},
                  {"basis", d.basis},
                  {"reasonCodes", d.codes},
                  {"history", Json::array()},
                  {"caseIds", Json::array()}};
    Transition(claim, "SUBMITTED", now, actor->org.org_id);
    bool accepted = d.codes.empty();
    Transition(claim, accepted ? "ACCEPTED" : "REJECTED", now, actor->org.org_id, d.codes);
    SaveClaim(state, claim);
    line["claimId"] = claim_id;
    entry["claimIds"].push_back(claim_id);
    if (cited != nullptr && *cited != nullptr) {
      TL_RETURN_IF_ERROR(RecordCitation(state, *cited, claim_id, entry, accepted));
    }
  }
  SaveEntry(state, entry);
  return TxOutcome{};
}

}  // namespace tradeledger::trade
