#include "index/pg.h"

#include <libpq-fe.h>

#include <charconv>

namespace tradeledger::index {
namespace {

std::string ServerError(const PGresult* result, pg_conn* conn) {
  std::string detail;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state != nullptr) detail = std::string(state) + " ";
    detail += PQresultErrorMessage(result);
  } else {
    detail = PQerrorMessage(conn);
  }
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  return detail;
}

}  // namespace

core::Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
  pg_conn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return core::Fail("PG_CONNECT_FAILED", "out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return core::Fail("PG_CONNECT_FAILED", why);
  }
  auto out = std::unique_ptr<PgConnection>(new PgConnection(conn));
  // Quiet notices ("relation already exists, skipping") would go to stderr otherwise.
  TL_RETURN_IF_ERROR(out->ExecScript("SET client_min_messages TO warning"));
  return out;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

core::Result<PgResult> PgConnection::Exec(std::string_view sql,
                                          const std::vector<PgParam>& params) {
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* result = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0);
  std::unique_ptr<PGresult, decltype(&PQclear)> guard(result, PQclear);
  ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return core::Fail("PG_QUERY_FAILED", ServerError(result, conn_));
  }
  PgResult out;
  int fields = PQnfields(result);
  for (int c = 0; c < fields; ++c) out.columns.emplace_back(PQfname(result, c));
  int tuples = PQntuples(result);
  out.rows.reserve(static_cast<size_t>(tuples));
  for (int r = 0; r < tuples; ++r) {
    PgRow row;
    row.reserve(static_cast<size_t>(fields));
    for (int c = 0; c < fields; ++c) {
      if (PQgetisnull(result, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(PQgetvalue(result, r, c), static_cast<size_t>(PQgetlength(result, r, c))));
      }
    }
    out.rows.push_back(std::move(row));
  }
  const char* affected = PQcmdTuples(result);
  if (affected != nullptr && *affected != '\0') {
    std::from_chars(affected, affected + std::char_traits<char>::length(affected), out.affected);
  }
  return out;
}

core::Status PgConnection::ExecScript(std::string_view sql) {
  std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  std::unique_ptr<PGresult, decltype(&PQclear)> guard(result, PQclear);
  ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return core::Fail("PG_QUERY_FAILED", ServerError(result, conn_));
  }
  return core::Ok();
}

void PgConnection::Rollback() { (void)ExecScript("ROLLBACK"); }

PgParam PgInt(int64_t v) { return std::to_string(v); }

std::string PgTextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

int64_t PgToInt(const std::optional<std::string>& cell, int64_t fallback) {
  if (!cell) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(cell->data(), cell->data() + cell->size(), v);
  if (ec != std::errc() || end != cell->data() + cell->size()) return fallback;
  return v;
}

}  // namespace tradeledger::index
