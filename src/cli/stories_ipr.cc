// DOMAIN.md §8 stories 10 and 11 over HTTP (rule-level twins in src/trade/ipr_stories_test.cc).
#include <memory>

#include "api/http/url.h"
#include "cli/stories_internal.h"

namespace tradeledger::cli::stories {
namespace {

struct IprCast {
  crypto::KeyPair rh, l1, f;
  std::string prefix;  // org and licence ids: <prefix>-RH, <prefix>-L1, <prefix>-F
  std::string recordation;
};

std::shared_ptr<IprCast> AdmitIprCast(Timeline& t, StoryClient& c, const std::string& s,
                                      const std::string& prefix, const std::string& recordation) {
  auto cast = std::make_shared<IprCast>();
  cast->prefix = prefix;
  cast->recordation = recordation;
  t.Setup(s, [&c, s, cast] {
    cast->rh = c.Admit(s, cast->prefix + "-RH", {"RIGHTS_HOLDER"}, "US");
    cast->l1 = c.Admit(s, cast->prefix + "-L1", {"LICENSEE", "IMPORTER"}, "US");
    cast->f = c.Admit(s, cast->prefix + "-F", {"MANUFACTURER", "LICENSEE"}, "VN",
                      json{{"mids", {"VNFACTON12HAN"}}});
  });
  // RH's recordation, approved by CBP; RH licenses L1 (MANUFACTURE, IMPORT, SUBLICENSE;
  // countries VN; quantity 10,000; 2025-01-01..2027-01-01).
  t.At(s, "2024-06-01", [&c, s, cast] {
    json body = {{"recordationNo", cast->recordation},
                 {"rightType", "TRADEMARK"},
                 {"registrationNo", "5123456"},
                 {"mark", "ACME"},
                 {"intlClasses", {25}},
                 {"goodsDescription", "Clothing, namely shirts and sweaters"},
                 {"placesOfManufacture", {"Hanoi, VN"}},
                 {"validUntil", "2029-12-31"}};
    c.Check(s, "RH applies for recordation " + cast->recordation, "OK",
            c.Submit(cast->rh, "ipr.recordation.apply", body).code);
  });
  t.At(s, "2024-06-15", [&c, s, cast] {
    c.Check(s, "CBP approves the recordation", "OK",
            c.Submit(c.customs(), "ipr.recordation.approve", {{"recordationNo", cast->recordation}})
                .code);
  });
  t.At(s, "2024-12-01", [&c, s, cast] {
    json l1 = {{"licenseId", cast->prefix + "-L1-LIC"},
               {"licensee", cast->prefix + "-L1"},
               {"recordationRefs", {cast->recordation}},
               {"rightType", "TRADEMARK"},
               {"products",
                {{{"description", "ACME shirts and sweaters"},
                  {"htsPrefixes", {"6109", "6110"}},
                  {"physicalFeatures", {{"logoPlacement", "left chest"}}}}}},
               {"permissions", {"MANUFACTURE", "IMPORT", "SUBLICENSE"}},
               {"countriesOfManufacture", {"VN"}},
               {"quantityLimit", 10000},
               {"validFrom", "2025-01-01"},
               {"validTo", "2027-01-01"}};
    c.Check(s, "RH licenses L1 (10,000 units, VN)", "OK",
            c.Submit(cast->rh, "ipr.license.issue", l1).code);
  });
  return cast;
}

// F's sublicence from L1: MANUFACTURE at MID VNFACTON12HAN.
json FBody(const IprCast& cast) {
  return {{"licenseId", cast.prefix + "-F-SUB"},
          {"licensee", cast.prefix + "-F"},
          {"parentLicenseId", cast.prefix + "-L1-LIC"},
          {"permissions", {"MANUFACTURE"}},
          {"authorizedManufacturerMids", {"VNFACTON12HAN"}}};
}

// A line imported by L1, presenting F's sublicence and L1's licence.
json AssessLine(const IprCast& cast, const std::string& entry, uint64_t quantity,
                const std::string& import_date) {
  return {{"entryNumber", entry},
          {"lineNo", 1},
          {"importer", cast.prefix + "-L1"},
          {"hts10", "6109.10.0012"},
          {"countryOfOrigin", "VN"},
          {"mid", "VNFACTON12HAN"},
          {"quantity", quantity},
          {"importDate", import_date},
          {"brand", "ACME"},
          {"recordationRefs", {cast.recordation}},
          {"licenseRefs", {cast.prefix + "-F-SUB", cast.prefix + "-L1-LIC"}}};
}

std::string AssessmentPath(const std::string& entry) { return "/v1/assessments/" + entry + "%231"; }

// "RESULT FIRST_REASON" of an assessment as `key` reads it.
std::string Outcome(StoryClient& c, const crypto::KeyPair& key, const std::string& entry) {
  JsonResponse r = c.Read(key, AssessmentPath(entry));
  if (r.status != 200) return StatusOf(r);
  std::string out = Field(r.body, "result");
  const json codes = r.body.value("reasonCodes", json::array());
  if (!codes.empty() && codes[0].is_string()) out += " " + codes[0].get<std::string>();
  return out;
}

}  // namespace

// 10. IPR: licensed import facilitated, then flagged.
void AddStory10(Timeline& t, StoryClient& c) {
  const std::string s = "10";
  auto cast = AdmitIprCast(t, c, s, "S10", "TMK 19-00001");
  auto first_seen = std::make_shared<json>();
  t.At(s, "2025-01-15", [&c, s, cast] {
    c.Check(s, "L1 sublicenses factory F (MID VNFACTON12HAN)", "OK",
            c.Submit(cast->l1, "ipr.license.issue", FBody(*cast)).code);
  });
  t.At(s, "2025-03-11", [&c, s, cast, first_seen] {
    std::string entry = EntryNo("1000001");
    c.Check(s, "L1 presents the chain for 4,000 units", "OK",
            c.Submit(cast->l1, "ipr.assess", AssessLine(*cast, entry, 4000, "2025-03-10")).code);
    JsonResponse r = c.Read(cast->l1, AssessmentPath(entry));
    *first_seen = r.body;
    std::string chain = r.body.value("licenseChain", json::array()).dump();
    c.Check(s, "assessment and chain", "FACILITATE [\"S10-F-SUB\",\"S10-L1-LIC\"]",
            Field(r.body, "result") + " " + chain);
  });
  t.At(s, "2025-04-11", [&c, s, cast] {
    std::string entry = EntryNo("1000002");
    c.Check(s, "next entry, 7,000 units", "OK",
            c.Submit(cast->l1, "ipr.assess", AssessLine(*cast, entry, 7000, "2025-04-10")).code);
    c.Check(s, "assessment (flag, not a denial)", "FLAG QUANTITY_LIMIT_EXCEEDED",
            Outcome(c, cast->l1, entry));
    JsonResponse rh = c.Read(cast->rh, AssessmentPath(entry));
    c.Check(
        s, "RH (licensor) sees the flag, no entry data", "FLAG no importer",
        Field(rh.body, "result") + (rh.body.contains("importer") ? " importer" : " no importer"));
    JsonResponse lic = c.Read(cast->rh, "/v1/licences/S10-L1-LIC");
    c.Check(s, "L1 licence quantity used", "11000", Field(lic.body, "quantityUsed"));
  });
  t.At(s, "2025-05-11", [&c, s, cast] {
    std::string entry = EntryNo("1000003");
    json line = AssessLine(*cast, entry, 500, "2025-05-10");
    line["mid"] = "CNOTHMAK88SHE";
    c.Check(s, "a line made by CNOTHMAK88SHE", "OK", c.Submit(cast->l1, "ipr.assess", line).code);
    c.Check(s, "assessment", "FLAG MID_NOT_AUTHORIZED", Outcome(c, cast->l1, entry));
  });
  t.At(s, "2025-06-01", [&c, s, cast] {
    c.Check(s, "RH revokes L1", "OK",
            c.Submit(cast->rh, "ipr.license.revoke", {{"licenseId", "S10-L1-LIC"}}).code);
  });
  t.At(s, "2025-06-11", [&c, s, cast, first_seen] {
    std::string via_l1 = EntryNo("1000004"), via_f = EntryNo("1000005");
    json a = AssessLine(*cast, via_l1, 10, "2025-06-10");
    a["licenseRefs"] = {"S10-L1-LIC"};
    json b = AssessLine(*cast, via_f, 10, "2025-06-10");
    b["licenseRefs"] = {"S10-F-SUB"};
    c.Check(s, "later line relying on L1", "OK", c.Submit(cast->l1, "ipr.assess", a).code);
    c.Check(s, "its assessment", "FLAG LICENSE_REVOKED", Outcome(c, cast->l1, via_l1));
    c.Check(s, "later line relying on F's sublicence", "OK",
            c.Submit(cast->l1, "ipr.assess", b).code);
    c.Check(s, "its assessment", "FLAG LICENSE_REVOKED", Outcome(c, cast->l1, via_f));
    JsonResponse again = c.Read(cast->l1, AssessmentPath(EntryNo("1000001")));
    c.Check(
        s, "earlier assessment unchanged", "FACILITATE, identical",
        Field(again.body, "result") + (again.body == *first_seen ? ", identical" : ", changed"));
    JsonResponse f = c.Read(cast->rh, "/v1/licences/S10-F-SUB");
    c.Check(s, "F's sublicence: own state / effective state", "ACTIVE / REVOKED",
            Field(f.body, "ownState") + " / " + Field(f.body, "effectiveState"));
  });
}

// 11. Sublicence overreach.
void AddStory11(Timeline& t, StoryClient& c) {
  const std::string s = "11";
  auto cast = AdmitIprCast(t, c, s, "S11", "TMK 19-00011");
  t.At(s, "2025-01-15", [&c, s, cast] {
    json overreach = FBody(*cast);
    overreach["permissions"] = {"MANUFACTURE", "IMPORT"};
    overreach["validFrom"] = "2025-02-01";
    overreach["validTo"] = "2028-01-01";  // L1 ends 2027-01-01
    c.Check(s, "L1 grants F IMPORT, valid to 2028 (L1: 2027)", "SUBLICENSE_EXCEEDS_PARENT",
            c.Submit(cast->l1, "ipr.license.issue", overreach).code);
    c.Check(s, "no sublicence written", "404 NOT_FOUND",
            StatusOf(c.Read(cast->l1, "/v1/licences/S11-F-SUB")));
    JsonResponse tree = c.Read(
        cast->rh, "/v1/recordations/" + api::http::PercentEncode(cast->recordation) + "/licences");
    c.Check(s, "RH's licence tree", "S11-L1-LIC only",
            tree.body.dump().find("S11-F-SUB") == std::string::npos &&
                    tree.body.dump().find("S11-L1-LIC") != std::string::npos
                ? "S11-L1-LIC only"
                : StatusOf(tree) + " " + tree.body.dump().substr(0, 60));
  });
}

}  // namespace tradeledger::cli::stories
