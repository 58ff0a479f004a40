#include "trade/licence.h"

#include "trade/identifiers.h"
#include "trade/ipr_common.h"

namespace tradeledger::trade {
namespace {

constexpr size_t kMaxProducts = 32;
constexpr size_t kMaxListItems = 64;
constexpr size_t kMaxFeaturesBytes = 4096;
const std::set<std::string> kPermissions = {kPermManufacture, kPermImport, kPermSublicense};
const std::set<std::string> kRightTypes = {"TRADEMARK", "COPYRIGHT", "TRADE_NAME"};

core::Result<LicensedProduct> ParseProduct(const Json& p) {
  if (!p.is_object()) return core::Fail("PAYLOAD_INVALID", "products holds objects");
  LicensedProduct out;
  TL_ASSIGN_OR_RETURN(out.description, GetString(p, "description", 1024));
  TL_ASSIGN_OR_RETURN(std::vector<std::string> prefixes,
                      GetStringArray(p, "htsPrefixes", kMaxListItems, 16));
  if (prefixes.empty()) return core::Fail("PAYLOAD_INVALID", "a product needs htsPrefixes");
  for (const std::string& text : prefixes) {
    std::string digits;
    if (!NormalizeHtsPrefix(text, &digits)) {
      return core::Fail("HTS_FORMAT", "HTS prefix '" + text + "' is not 2..10 digits");
    }
    out.hts_prefixes.push_back(digits);
  }
  if (auto it = p.find("physicalFeatures"); it != p.end() && !it->is_null()) {
    if (!it->is_object() || it->dump().size() > kMaxFeaturesBytes) {
      return core::Fail("PAYLOAD_INVALID", "physicalFeatures must be an object up to 4 KiB");
    }
    out.physical_features = *it;
  }
  return out;
}

core::Result<std::vector<std::string>> OptList(const Json& body, const char* field) {
  return GetStringArray(body, field, kMaxListItems, 64, /*required=*/false);
}

}  // namespace

core::Result<Licence> ParseLicenceIssue(const Json& body, std::string_view licensor) {
  Licence l;
  l.licensor = std::string(licensor);
  TL_ASSIGN_OR_RETURN(l.license_id, GetString(body, "licenseId", 128));
  if (!IsIprId(l.license_id)) {
    return core::Fail("PAYLOAD_INVALID", "licenseId must be 1..128 of [A-Za-z0-9._:-]");
  }
  TL_ASSIGN_OR_RETURN(l.licensee, GetString(body, "licensee", 64));
  if (l.licensee == l.licensor) return core::Fail("PAYLOAD_INVALID", "licensee is the licensor");
  TL_ASSIGN_OR_RETURN(l.parent_license_id, GetOptString(body, "parentLicenseId", 128));
  TL_ASSIGN_OR_RETURN(l.recordation_refs,
                      GetStringArray(body, "recordationRefs", 16, 32, /*required=*/false));
  for (size_t i = 0; i < l.recordation_refs.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (l.recordation_refs[k] == l.recordation_refs[i]) {
        return core::Fail("PAYLOAD_INVALID", "recordationRefs repeats " + l.recordation_refs[i]);
      }
    }
  }
  TL_ASSIGN_OR_RETURN(std::optional<std::string> right_type, GetOptString(body, "rightType", 32));
  l.right_type = right_type.value_or("");
  if (!l.right_type.empty() && !kRightTypes.contains(l.right_type)) {
    return core::Fail("PAYLOAD_INVALID", "rightType must be TRADEMARK, COPYRIGHT or TRADE_NAME");
  }
  if (!l.parent_license_id && (l.recordation_refs.empty() || l.right_type.empty())) {
    return core::Fail("PAYLOAD_INVALID",
                      "a licence without a parent names its recordationRefs and rightType");
  }
  if (!l.parent_license_id || body.contains("products")) {
    TL_ASSIGN_OR_RETURN(const Json* products, GetArray(body, "products", kMaxProducts));
    if (products->empty()) return core::Fail("PAYLOAD_INVALID", "products must not be empty");
    for (const Json& p : *products) {
      TL_ASSIGN_OR_RETURN(LicensedProduct product, ParseProduct(p));
      l.products.push_back(std::move(product));
    }
  }
  TL_ASSIGN_OR_RETURN(std::vector<std::string> permissions,
                      GetStringArray(body, "permissions", 3, 16));
  for (const std::string& p : permissions) {
    if (!kPermissions.contains(p) || !l.permissions.insert(p).second) {
      return core::Fail("PAYLOAD_INVALID",
                        "permissions are distinct of MANUFACTURE, IMPORT, "
                        "SUBLICENSE");
    }
  }
  if (l.permissions.empty()) return core::Fail("PAYLOAD_INVALID", "permissions are required");
  TL_ASSIGN_OR_RETURN(l.mids, OptList(body, "authorizedManufacturerMids"));
  for (const std::string& mid : l.mids) {
    if (!IsValidMid(mid)) return core::Fail("MID_FORMAT", "'" + mid + "' is not a MID");
  }
  TL_ASSIGN_OR_RETURN(l.countries, OptList(body, "countriesOfManufacture"));
  for (const std::string& c : l.countries) {
    if (!IsCountryCode(c)) return core::Fail("COUNTRY_CODE_INVALID", "'" + c + "'");
  }
  TL_ASSIGN_OR_RETURN(l.importers, OptList(body, "authorizedImporters"));
  TL_ASSIGN_OR_RETURN(l.quantity_limit, GetOptUint(body, "quantityLimit"));
  if (l.quantity_limit && *l.quantity_limit == 0) {
    return core::Fail("PAYLOAD_INVALID", "quantityLimit must be positive");
  }
  if (l.parent_license_id) {
    TL_ASSIGN_OR_RETURN(std::optional<int64_t> from, GetOptInstant(body, "validFrom"));
    TL_ASSIGN_OR_RETURN(std::optional<int64_t> to, GetOptInstant(body, "validTo"));
    l.valid_from = from.value_or(kInheritFrom);
    l.valid_to = to.value_or(kInheritTo);
  } else {
    TL_ASSIGN_OR_RETURN(l.valid_from, GetInstant(body, "validFrom"));
    TL_ASSIGN_OR_RETURN(l.valid_to, GetInstant(body, "validTo"));
  }
  if (l.valid_to <= l.valid_from) {
    return core::Fail("VALIDITY_INVALID", "validTo must be after validFrom");
  }
  return l;
}

std::string LicenceOwnStateAt(const Licence& l, int64_t time) {
  bool revoked = false;
  bool suspended = false;
  for (const LicenceEvent& e : l.events) {
    if (e.at > time) break;  // events are appended in block order
    if (e.kind == "REVOKED") revoked = true;
    if (e.kind == "SUSPENDED") suspended = true;
    if (e.kind == "REINSTATED") suspended = false;
  }
  if (revoked) return "REVOKED";
  if (time >= l.valid_to) return "EXPIRED";
  if (time < l.valid_from) return "ISSUED";
  if (suspended) return "SUSPENDED";
  return "ACTIVE";
}

Json Licence::ToJson() const {
  Json products_json = Json::array();
  for (const LicensedProduct& p : products) {
    products_json.push_back({{"description", p.description},
                             {"htsPrefixes", p.hts_prefixes},
                             {"physicalFeatures", p.physical_features}});
  }
  Json events_json = Json::array();
  for (const LicenceEvent& e : events) {
    events_json.push_back({{"kind", e.kind}, {"at", e.at}, {"by", e.by}});
  }
  Json j = {{"licenseId", license_id},
            {"licensor", licensor},
            {"licensee", licensee},
            {"recordationRefs", recordation_refs},
            {"rightType", right_type},
            {"products", products_json},
            {"permissions", permissions},
            {"authorizedManufacturerMids", mids},
            {"countriesOfManufacture", countries},
            {"authorizedImporters", importers},
            {"validFrom", valid_from},
            {"validTo", valid_to},
            {"depth", depth},
            {"events", events_json},
            {"txId", tx_id}};
  if (parent_license_id) j["parentLicenseId"] = *parent_license_id;
  if (quantity_limit) j["quantityLimit"] = *quantity_limit;
  return j;
}

core::Result<Licence> Licence::FromJson(const Json& j) {
  Licence l;
  TL_ASSIGN_OR_RETURN(l.license_id, RecordString(j, "licenseId"));
  TL_ASSIGN_OR_RETURN(l.licensor, RecordString(j, "licensor"));
  TL_ASSIGN_OR_RETURN(l.licensee, RecordString(j, "licensee"));
  TL_ASSIGN_OR_RETURN(std::string parent, RecordString(j, "parentLicenseId"));
  if (!parent.empty()) l.parent_license_id = parent;
  TL_ASSIGN_OR_RETURN(l.recordation_refs, RecordStrings(j, "recordationRefs"));
  TL_ASSIGN_OR_RETURN(l.right_type, RecordString(j, "rightType"));
  TL_ASSIGN_OR_RETURN(std::vector<std::string> permissions, RecordStrings(j, "permissions"));
  l.permissions = {permissions.begin(), permissions.end()};
  TL_ASSIGN_OR_RETURN(l.mids, RecordStrings(j, "authorizedManufacturerMids"));
  TL_ASSIGN_OR_RETURN(l.countries, RecordStrings(j, "countriesOfManufacture"));
  TL_ASSIGN_OR_RETURN(l.importers, RecordStrings(j, "authorizedImporters"));
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> limit, RecordOptInt(j, "quantityLimit"));
  if (limit && *limit <= 0) return core::Fail("STATE_CORRUPT", "quantityLimit");
  if (limit) l.quantity_limit = static_cast<uint64_t>(*limit);
  TL_ASSIGN_OR_RETURN(l.valid_from, RecordInt(j, "validFrom"));
  TL_ASSIGN_OR_RETURN(l.valid_to, RecordInt(j, "validTo"));
  TL_ASSIGN_OR_RETURN(int64_t depth, RecordInt(j, "depth"));
  if (depth < 1 || depth > 64) return core::Fail("STATE_CORRUPT", "licence depth");
  l.depth = static_cast<int>(depth);
  TL_ASSIGN_OR_RETURN(l.tx_id, RecordString(j, "txId"));
  auto products = j.find("products");
  if (products == j.end() || !products->is_array()) {
    return core::Fail("STATE_CORRUPT", "licence products");
  }
  for (const Json& p : *products) {
    LicensedProduct product;
    TL_ASSIGN_OR_RETURN(product.description, RecordString(p, "description"));
    TL_ASSIGN_OR_RETURN(product.hts_prefixes, RecordStrings(p, "htsPrefixes"));
    if (auto f = p.find("physicalFeatures"); f != p.end() && f->is_object()) {
      product.physical_features = *f;
    }
    l.products.push_back(std::move(product));
  }
  auto events = j.find("events");
  if (events != j.end() && events->is_array()) {
    for (const Json& e : *events) {
      LicenceEvent ev;
      TL_ASSIGN_OR_RETURN(ev.kind, RecordString(e, "kind"));
      TL_ASSIGN_OR_RETURN(ev.at, RecordInt(e, "at"));
      TL_ASSIGN_OR_RETURN(ev.by, RecordString(e, "by"));
      l.events.push_back(std::move(ev));
    }
  }
  return l;
}

core::Bytes LicenceKey(std::string_view id) {
  return core::ToBytes("ipr-license/" + std::string(id));
}
std::string LicenceRootsKey(std::string_view recordation_no) {
  return "ipr-license-roots/" + std::string(recordation_no);
}
std::string LicenceChildrenKey(std::string_view id) {
  return "ipr-license-children/" + std::string(id);
}
core::Bytes LicenceUsedKey(std::string_view id) {
  return core::ToBytes("ipr-license-used/" + std::string(id));
}

core::Result<std::optional<Licence>> LoadLicence(const StateReader& state,
                                                 std::string_view license_id) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> j, state.GetJson(LicenceKey(license_id)));
  if (j == nullptr) return std::optional<Licence>();
  TL_ASSIGN_OR_RETURN(Licence l, Licence::FromJson(*j));
  return std::optional<Licence>(std::move(l));
}

void SaveLicence(WorkingState& state, const Licence& l) {
  state.Put(LicenceKey(l.license_id), ToStateValue(l.ToJson()));
}

core::Result<uint64_t> LoadQuantityUsed(const StateReader& state, std::string_view license_id) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> j, state.GetJson(LicenceUsedKey(license_id)));
  if (j == nullptr) return uint64_t{0};
  TL_ASSIGN_OR_RETURN(int64_t used, RecordInt(*j, "quantityUsed"));
  if (used < 0) return core::Fail("STATE_CORRUPT", "quantityUsed");
  return static_cast<uint64_t>(used);
}

void SaveQuantityUsed(WorkingState& state, std::string_view license_id, uint64_t used) {
  state.Put(LicenceUsedKey(license_id), ToStateValue(Json{{"quantityUsed", used}}));
}

}  // namespace tradeledger::trade
