#include "index/writer.h"

#include "index/schema.h"

namespace tradeledger::index {

using nlohmann::json;

template <typename Fn>
core::Status IndexWriter::InTransaction(Fn&& body) {
  TL_RETURN_IF_ERROR(db_.Begin());
  core::Status done = body();
  if (done) done = db_.Commit();
  if (!done) db_.Rollback();
  return done;
}

core::Result<IndexMeta> IndexWriter::OpenMeta(const std::string& chain_id,
                                              const std::string& node_url,
                                              const std::string& reader_org,
                                              const std::string& reader_key) {
  TL_RETURN_IF_ERROR(
      db_.Exec("INSERT INTO meta (schema_version, chain_id, node_url, reader_org, reader_key) "
               "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (singleton) DO NOTHING",
               {PgInt(kSchemaVersion), chain_id, node_url, reader_org, reader_key}));
  TL_ASSIGN_OR_RETURN(PgResult r,
                      db_.Exec("SELECT schema_version, chain_id, reader_org, reader_key, height, "
                               "block_hash, audit_seq, records_height, node_url FROM meta"));
  if (r.rows.size() != 1) return core::Fail("PG_QUERY_FAILED", "meta has no row");
  const PgRow& row = r.rows[0];
  if (PgToInt(row[0]) != kSchemaVersion) {
    return core::Fail("SCHEMA_VERSION_MISMATCH",
                      "the database was written by schema version " + row[0].value_or("?") +
                          ", this indexer writes " + std::to_string(kSchemaVersion));
  }
  if (row[1] != chain_id) {
    return core::Fail("CHAIN_MISMATCH",
                      "the database indexes chain " + row[1].value_or("?") + ", not " + chain_id);
  }
  if (row[3] != reader_key) {
    return core::Fail("READER_MISMATCH", "the database holds what " + row[2].value_or("?") +
                                             "'s key " + row[3].value_or("?") +
                                             " may read; index with that key or another database");
  }
  // The read audit log is the followed node's own (its sequence numbers are that node's):
  // once some of it is in, the database follows that node only.
  if (row[8] != node_url && PgToInt(row[6]) > 0) {
    return core::Fail("NODE_MISMATCH", "the database holds " + row[8].value_or("?") +
                                           "'s read audit log; follow that node, or index " +
                                           node_url + " into another database");
  }
  TL_RETURN_IF_ERROR(db_.Exec("UPDATE meta SET node_url = $1", {node_url}));
  IndexMeta meta;
  meta.chain_id = chain_id;
  meta.reader_org = row[2].value_or("");
  meta.reader_key = reader_key;
  meta.height = static_cast<uint64_t>(PgToInt(row[4]));
  meta.block_hash = row[5].value_or("");
  meta.audit_seq = static_cast<uint64_t>(PgToInt(row[6]));
  meta.records_height = static_cast<uint64_t>(PgToInt(row[7]));
  return meta;
}

core::Status IndexWriter::WriteValidators(const std::vector<ValidatorRow>& rows) {
  return InTransaction([&]() -> core::Status {
    TL_RETURN_IF_ERROR(db_.Exec("DELETE FROM validators"));
    for (const auto& v : rows) {
      TL_RETURN_IF_ERROR(
          db_.Exec("INSERT INTO validators (public_key, name, from_height) VALUES ($1, $2, $3)",
                   {v.public_key, v.name, PgInt(static_cast<int64_t>(v.from_height))}));
    }
    return core::Ok();
  });
}

core::Status IndexWriter::WriteBlock(const CheckedBlock& block, const std::vector<IndexedTx>& txs,
                                     int64_t seen_ms, bool live) {
  const auto& h = block.header;
  int64_t height = static_cast<int64_t>(h.height.value);
  return InTransaction([&]() -> core::Status {
    TL_ASSIGN_OR_RETURN(PgResult moved,
                        db_.Exec("UPDATE meta SET height = $1, block_hash = $2 WHERE height = $3",
                                 {PgInt(height), block.hash.hex(), PgInt(height - 1)}));
    if (moved.affected != 1) {
      return core::Fail("INDEX_CONFLICT", "block " + std::to_string(height) +
                                              " is not the next block of the database");
    }
    int64_t latency_ms = seen_ms - static_cast<int64_t>(h.timestamp.value);
    TL_RETURN_IF_ERROR(db_.Exec(
        "INSERT INTO blocks (height, hash, prev_hash, block_time_ms, proposer, view, tx_count, "
        "log_size, state_height, signatures, quorum, set_size, seen_ms, live, "
        "commit_latency_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
        "$15)",
        {PgInt(height), block.hash.hex(), h.prev_hash.hex(),
         PgInt(static_cast<int64_t>(h.timestamp.value)), h.proposer.hex(),
         PgInt(static_cast<int64_t>(block.certificate.view.value)), PgInt(h.tx_count),
         PgInt(static_cast<int64_t>(h.log_size)), PgInt(static_cast<int64_t>(h.state_height.value)),
         PgInt(static_cast<int64_t>(block.certificate.signatures.size())),
         PgInt(static_cast<int64_t>(block.quorum)), PgInt(static_cast<int64_t>(block.set_size)),
         PgInt(seen_ms), live ? "true" : "false", live ? PgInt(latency_ms) : std::nullopt}));
    for (const auto& s : block.certificate.signatures) {
      TL_RETURN_IF_ERROR(db_.Exec("INSERT INTO block_signers (height, validator) VALUES ($1, $2)",
                                  {PgInt(height), s.validator.hex()}));
    }
    for (const IndexedTx& tx : txs) {
      const json& t = tx.served;
      bool full = t.value("access", "") == "full";
      auto text = [&](const char* name) -> PgParam {
        if (!full || !t.contains(name) || t[name].is_null()) return std::nullopt;
        return t[name].is_string() ? t[name].get<std::string>() : t[name].dump();
      };
      std::vector<std::string> reasons;
      if (full && t.contains("reasons") && t["reasons"].is_array()) {
        for (const auto& r : t["reasons"])
          reasons.push_back(r.is_string() ? r.get<std::string>() : r.dump());
      }
      TL_RETURN_IF_ERROR(db_.Exec(
          "INSERT INTO transactions (tx_id, height, position, leaf_index, access, type, signer, "
          "nonce, result_code, reasons, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          "$11)",
          {tx.tx_id, PgInt(height), PgInt(static_cast<int64_t>(tx.position)),
           t.contains("leaf_index") ? PgParam(t["leaf_index"].dump()) : PgParam("0"),
           full ? "full" : "id-only", text("type"), text("signer"), text("nonce"),
           text("result_code"), full ? PgParam(PgTextArray(reasons)) : std::nullopt,
           full && t.contains("body") ? PgParam(t["body"].dump()) : std::nullopt}));
    }
    return core::Ok();
  });
}

core::Status IndexWriter::ReplaceRecords(const std::vector<TableRows>& tables, uint64_t height,
                                         int64_t now_ms, int64_t ledger_now_ms) {
  return InTransaction([&]() -> core::Status {
    for (const RecordKind& kind : RecordKinds()) {
      // The main table's rows go; its child tables follow by ON DELETE CASCADE.
      TL_RETURN_IF_ERROR(db_.Exec("DELETE FROM " + kind.tables.front()));
    }
    for (const TableRows& t : tables) {
      std::string sql = InsertSql(t);
      for (const auto& row : t.rows) TL_RETURN_IF_ERROR(db_.Exec(sql, row));
    }
    TL_RETURN_IF_ERROR(
        db_.Exec("UPDATE meta SET records_height = $1, records_ms = $2, records_ledger_ms = $3",
                 {PgInt(static_cast<int64_t>(height)), PgInt(now_ms), PgInt(ledger_now_ms)}));
    return core::Ok();
  });
}

core::Status IndexWriter::AppendReadEvents(const std::vector<json>& events) {
  if (events.empty()) return core::Ok();
  return InTransaction([&]() -> core::Status {
    int64_t last = 0;
    for (const json& e : events) {
      auto s = [&](const char* name) -> std::string {
        return e.contains(name) && e[name].is_string() ? e[name].get<std::string>() : "";
      };
      int64_t seq = e.value("seq", int64_t{0});
      last = std::max(last, seq);
      TL_RETURN_IF_ERROR(db_.Exec(
          "INSERT INTO read_events (seq, at_ms, reader_org, reader_key, subject_type, "
          "subject_id, owner_org, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (seq) DO NOTHING",
          {PgInt(seq), PgInt(e.value("at", int64_t{0})), s("readerOrg"), s("readerKey"),
           s("subjectType"), s("subjectId"), s("ownerOrg"), s("outcome"), s("detail")}));
    }
    TL_RETURN_IF_ERROR(
        db_.Exec("UPDATE meta SET audit_seq = greatest(audit_seq, $1)", {PgInt(last)}));
    return core::Ok();
  });
}

core::Status IndexWriter::WriteSample(const NodeSample& s) {
  TL_RETURN_IF_ERROR(db_.Exec(
      "INSERT INTO node_samples (node_url, at_ms, up, ready, height, view, peers, "
      "proofs_verified, proofs_rejected, commit_latency_sum_s, commit_latency_count) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
      {s.node_url, PgInt(s.at_ms), s.up ? "true" : "false", s.ready, s.height, s.view, s.peers,
       s.proofs_verified, s.proofs_rejected, s.latency_sum, s.latency_count}));
  return core::Ok();
}

}  // namespace tradeledger::index
