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

namespace {

// The stored JSON of event number `seq`. A reader's request may name bytes that are not
// UTF-8: they are recorded as hex.
std::string EventJson(uint64_t seq, const ReadEvent& e) {
  auto text = [](const std::string& s) {
    return core::IsValidUtf8(s) ? s : "hex:" + core::ToHex(core::AsBytes(s));
  };
  nlohmann::json j = {{"seq", seq},
                      {"at", e.at_ms},
                      {"readerOrg", text(e.reader_org)},
                      {"readerKey", text(e.reader_key)},
                      {"subjectType", text(e.subject_type)},
                      {"subjectId", text(e.subject_id)},
                      {"ownerOrg", text(e.owner_org)},
                      {"outcome", text(e.outcome)}};
  if (!e.detail.empty()) j["detail"] = text(e.detail);
  return j.dump();
}

}  // namespace

core::Status ReadAuditLog::Append(const ReadEvent& e) { return AppendAll({e}); }

core::Status ReadAuditLog::AppendAll(const std::vector<ReadEvent>& events) {
  if (events.empty()) return core::Ok();
  std::lock_guard lock(mu_);
  storage::WriteBatch batch;
  uint64_t seq = next_;
  for (const ReadEvent& e : events) {
    std::string value = EventJson(seq, e);
    batch.Put(EventKey(seq++), core::AsBytes(value));
  }
  TL_RETURN_IF_ERROR(store_.Write(batch, {.sync = true}));
  next_ = seq;
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
