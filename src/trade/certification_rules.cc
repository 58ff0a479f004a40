// Content rules of a certification of origin: 3 (country codes), 7 (USMCA nine elements),
// 8 (NAFTA signer, CAFTA-DR elements), 9 (blanket period), 10 (signature date, language).
#include <set>

#include "trade/certification.h"
#include "trade/identifiers.h"
#include "trade/origin_common.h"
#include "trade/origin_reasons.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

const std::set<std::string> kAgreements = {"USMCA", "NAFTA", "CAFTA_DR"};
const std::set<std::string> kCertifierRoles = {"IMPORTER", "EXPORTER", "PRODUCER"};
const std::set<std::string> kCriteria = {"A", "B", "C", "D"};
const std::set<std::string> kLanguages = {"en", "es", "fr"};
constexpr size_t kMaxGoods = 256;

bool NonEmptyString(const Json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_string() && !it->get_ref<const std::string&>().empty() &&
         it->get_ref<const std::string&>().size() <= 512;
}

class Checker {
 public:
  explicit Checker(std::vector<std::string>& codes) : codes_(codes) {}
  void Missing(const std::string& element) { codes_.push_back("CERT_INCOMPLETE:" + element); }
  void Code(const std::string& code) { codes_.push_back(code); }

  // A party: name, address, countryIso2 (valid), optional email/phone/orgId strings.
  void Party(const Json& p, const std::string& element, bool contact_required) {
    if (!p.is_object()) return Missing(element);
    for (const char* f : {"name", "address", "countryIso2"}) {
      if (!NonEmptyString(p, f)) Missing(element + "." + f);
    }
    if (contact_required) {
      for (const char* f : {"phone", "email"}) {
        if (!NonEmptyString(p, f)) Missing(element + "." + f);
      }
    }
    if (NonEmptyString(p, "countryIso2") && !IsCountryCode(p["countryIso2"].get<std::string>())) {
      Code("COUNTRY_CODE_INVALID");
    }
  }

 private:
  std::vector<std::string>& codes_;
};

bool IsPresent(const Json& body, const char* field) {
  auto it = body.find(field);
  return it != body.end() && !it->is_null();
}

}  // namespace

core::Result<CertValidation> ValidateCertification(const Json& body, int64_t now) {
  CertValidation v;
  Checker check(v.codes);
  Json& r = v.record;
  TL_ASSIGN_OR_RETURN(std::string cert_id, GetString(body, "certId", 128));
  for (char c : cert_id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return core::Fail("PAYLOAD_INVALID", "certId must be of [A-Za-z0-9._:-]");
  }
  TL_ASSIGN_OR_RETURN(std::string agreement, GetString(body, "agreement", 16));
  if (!kAgreements.contains(agreement)) {
    return core::Fail("PAYLOAD_INVALID", "agreement must be USMCA, NAFTA or CAFTA_DR");
  }
  TL_ASSIGN_OR_RETURN(std::string hash_hex, GetString(body, "contentHash", 64));
  auto hash = core::Hash32::FromHex(hash_hex);
  if (!hash) return core::Fail("CONTENT_HASH_INVALID", "contentHash must be 64 hex digits");
  r["certId"] = cert_id;
  r["agreement"] = agreement;
  r["contentHash"] = hash->hex();

  // Element 1: certifier role.
  TL_ASSIGN_OR_RETURN(std::optional<std::string> role, GetOptString(body, "certifierRole", 16));
  if (!role || !kCertifierRoles.contains(*role)) {
    check.Missing("certifierRole");
  } else {
    r["certifierRole"] = *role;
  }
  std::string certifier_role = role.value_or("");
  // Element 2: certifier with contact details.
  if (!IsPresent(body, "certifier")) {
    check.Missing("certifier");
  } else {
    check.Party(body["certifier"], "certifier", agreement == "USMCA");
    if (agreement == "USMCA" && !NonEmptyString(body["certifier"], "title")) {
      check.Missing("certifier.title");
    }
    r["certifier"] = body["certifier"];
  }
  if (agreement == "NAFTA" && !certifier_role.empty() && certifier_role != "EXPORTER") {
    check.Code("CERT_SIGNER_NOT_EXPORTER");
  }
  // Element 3: exporter, implied when the exporter certifies; optional for a producer that
  // does not know it (USMCA); otherwise required.
  if (IsPresent(body, "exporter")) {
    check.Party(body["exporter"], "exporter", false);
    r["exporter"] = body["exporter"];
  } else if (certifier_role == "IMPORTER") {
    check.Missing("exporter");
  }
  // Element 4: producer, implied when the producer certifies.
  if (IsPresent(body, "producer")) {
    const Json& p = body["producer"];
    if (p.is_string()) {
      std::string s = p.get<std::string>();
      if (s != "VARIOUS" && s != "AVAILABLE_UPON_REQUEST" && s != "SAME_AS_EXPORTER") {
        check.Missing("producer");
      }
      if (agreement == "CAFTA_DR" && s != "SAME_AS_EXPORTER") check.Missing("producer");
    } else if (p.is_array()) {
      if (p.empty() || p.size() > 64) check.Missing("producer");
      for (const Json& each : p) check.Party(each, "producer", false);
    } else {
      check.Party(p, "producer", false);
    }
    r["producer"] = p;
    // The producer behind "AVAILABLE_UPON_REQUEST", disclosed to customs only (views).
    if (IsPresent(body, "producerOnRequest")) {
      if (!p.is_string() || p.get<std::string>() != "AVAILABLE_UPON_REQUEST") {
        return core::Fail("PAYLOAD_INVALID", "producerOnRequest needs AVAILABLE_UPON_REQUEST");
      }
      check.Party(body["producerOnRequest"], "producerOnRequest", false);
      r["producerOnRequest"] = body["producerOnRequest"];
    }
  } else if (certifier_role != "PRODUCER") {
    check.Missing("producer");
  }
  // Element 5: importer if known (USMCA); always identified for CAFTA-DR.
  if (IsPresent(body, "importer")) {
    const Json& imp = body["importer"];
    if (imp.is_string()) {
      if (imp.get<std::string>() != "VARIOUS" || agreement == "CAFTA_DR") check.Missing("importer");
    } else {
      check.Party(imp, "importer", false);
      if (imp.is_object() && imp.contains("orgId")) {
        if (!NonEmptyString(imp, "orgId")) return core::Fail("PAYLOAD_INVALID", "importer.orgId");
        r["importerOrg"] = imp["orgId"];
      }
    }
    r["importer"] = imp;
  } else if (agreement == "CAFTA_DR") {
    check.Missing("importer");
  }
  // Elements 6 and 7: goods with description, HS >= 6 digits and origin criterion.
  auto goods = GetArray(body, "goods", kMaxGoods);
  if (!goods || (*goods)->empty()) {
    check.Missing("goods");
  } else {
    Json out = Json::array();
    for (const Json& g : **goods) {
      if (!g.is_object()) return core::Fail("PAYLOAD_INVALID", "goods[] must be objects");
      Json good = g;
      if (!NonEmptyString(g, "description")) check.Missing("goods.description");
      std::optional<std::string> hs;
      if (NonEmptyString(g, "hsCode")) hs = HtsDigits(g["hsCode"].get<std::string>());
      if (!hs || hs->size() < 6 || hs->size() > 10) {
        check.Missing("goods.hsCode");
      } else {
        good["hsCode"] = *hs;
      }
      if (agreement == "CAFTA_DR") {
        if (!NonEmptyString(g, "ruleOfOrigin") && !NonEmptyString(g, "originCriterion")) {
          check.Missing("ruleOfOrigin");
        }
      } else if (!NonEmptyString(g, "originCriterion") ||
                 !kCriteria.contains(g["originCriterion"].get<std::string>())) {
        check.Missing("originCriterion");
      }
      out.push_back(std::move(good));
    }
    r["goods"] = std::move(out);
  }
  // Element 8: blanket period iff not single-shipment (rule 9 on its length).
  TL_ASSIGN_OR_RETURN(std::optional<bool> single, GetOptBool(body, "singleShipment"));
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> from, GetOptDate(body, "blanketFrom"));
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> to, GetOptDate(body, "blanketTo"));
  TL_ASSIGN_OR_RETURN(std::optional<std::string> shipment, GetOptString(body, "shipmentRef", 64));
  if (!single) {
    check.Missing("singleShipment");
  } else {
    r["singleShipment"] = *single;
    if (*single && (from || to)) check.Missing("blanketPeriod");
    if (!*single && (!from || !to)) check.Missing("blanketPeriod");
  }
  if (from && to) {
    r["blanketFrom"] = *from;
    r["blanketTo"] = *to;
    if (*from > *to || *to >= AddMonths(*from, 12)) check.Code("BLANKET_PERIOD_INVALID");
  }
  if (shipment) r["shipmentRef"] = *shipment;
  // Element 9: signature, date and certification statement.
  if (!IsPresent(body, "signatory") || !NonEmptyString(body["signatory"], "name") ||
      (agreement != "CAFTA_DR" && !NonEmptyString(body["signatory"], "title"))) {
    check.Missing("signatory");
  } else {
    r["signatory"] = body["signatory"];
  }
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> signed_at, GetOptInstant(body, "signedAt"));
  if (!signed_at) {
    check.Missing("signedAt");
  } else {
    r["signedAt"] = *signed_at;
    if (*signed_at > now) check.Code("CERT_INVALID_META");
  }
  TL_ASSIGN_OR_RETURN(std::optional<bool> statement, GetOptBool(body, "statementPresent"));
  if (!statement || !*statement) check.Missing("statementPresent");
  r["statementPresent"] = statement.value_or(false);
  TL_ASSIGN_OR_RETURN(std::optional<std::string> language, GetOptString(body, "language", 8));
  if (!language || !kLanguages.contains(*language)) {
    check.Code("CERT_INVALID_META");
  } else {
    r["language"] = *language;
  }
  SortByRule(v.codes);
  return v;
}

std::string EffectiveCertState(const Json& cert, int64_t now) {
  std::string state = cert.value("state", "");
  if (state != "ISSUED") return state;
  int64_t signed_at = cert.value("signedAt", int64_t{0});
  if (now > AddMonths(signed_at, 12 * kCertValidityYears)) return "EXPIRED";
  if (cert.contains("blanketTo") && now >= cert["blanketTo"].get<int64_t>() + kMsPerDay) {
    return "EXPIRED";
  }
  return state;
}

}  // namespace tradeledger::trade
