#include "node/read_audit_log.h"

#include "core/encoding.h"

namespace tradeledger::node {
namespace {

core::Bytes EventKey(uint64_t seq) {
  core::Encoder e(9);
  e.PutU8('A').PutU64(seq);
  return std::move(e).Take();
}

}  // namespace

core::Result<std::unique_ptr<ReadAuditLog>> ReadAuditLog::Open(storage::Store& store) {
  const uint8_t prefix[] = {'A'};
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> last, store.Last(prefix));
  uint64_t next = 1;
  if (last) {
    core::Decoder d(*last);
    (void)d.GetU8();
    auto seq = d.GetU64();
    if (!seq) return core::Fail("STORAGE_CORRUPT", "malformed audit event key");
    next = *seq + 1;
  }
  return std::unique_ptr<ReadAuditLog>(new ReadAuditLog(store, next));
}

core::Status ReadAuditLog::Append(const ReadEvent& e) {
  std::lock_guard lock(mu_);
  nlohmann::json j = {{"seq", next_},
                      {"at", e.at_ms},
                      {"readerOrg", e.reader_org},
                      {"readerKey", e.reader_key},
                      {"subjectType", e.subject_type},
                      {"subjectId", e.subject_id},
                      {"ownerOrg", e.owner_org},
                      {"outcome", e.outcome}};
  if (!e.detail.empty()) j["detail"] = e.detail;
  std::string value = j.dump();
  TL_RETURN_IF_ERROR(store_.Put(EventKey(next_), core::AsBytes(value), {.sync = true}));
  ++next_;
  return core::Ok();
}

core::Result<std::vector<nlohmann::json>> ReadAuditLog::List(const std::string& subject_id,
                                                             const std::string& owner_org,
                                                             uint64_t after, size_t limit) const {
  const uint8_t prefix[] = {'A'};
  std::vector<nlohmann::json> out;
  for (auto it = store_.Scan(prefix); it->Valid() && out.size() < limit; it->Next()) {
    auto j = nlohmann::json::parse(core::AsStringView(it->value()), nullptr, false);
    if (j.is_discarded()) return core::Fail("STORAGE_CORRUPT", "audit event is not JSON");
    if (j.value("seq", uint64_t{0}) <= after) continue;
    if (!subject_id.empty() && j.value("subjectId", "") != subject_id) continue;
    if (!owner_org.empty() && j.value("ownerOrg", "") != owner_org) continue;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace tradeledger::node
