// JSON error bodies and server-sent event streams (declared in http_types.h).
//
// Thread safety: EventStream's state is guarded by its mutex; the sink it forwards to (the
// server's connection) posts to its own strand, so no network I/O happens under the lock.
#include "api/http/http_types.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tradeledger::api::http {
namespace {

// Length of the valid UTF-8 sequence at the start of `s` (a non-ASCII lead byte), or 0.
size_t Utf8SequenceLength(std::string_view s) {
  auto lead = static_cast<unsigned char>(s[0]);
  size_t length = 0;
  uint32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    auto byte = static_cast<unsigned char>(s[k]);
    if ((byte & 0xC0u) != 0x80u) return 0;
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  if (length == 3 && (code_point < 0x800 || (code_point >= 0xD800 && code_point <= 0xDFFF))) {
    return 0;
  }
  if (length == 4 && (code_point < 0x10000 || code_point > 0x10FFFF)) return 0;
  return length;
}

}  // namespace

// --- JSON helpers -------------------------------------------------------------------------

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(text.substr(i));
      if (length == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  return out;
}

Response JsonError(int status, std::string_view code, std::string_view message) {
  Response response;
  response.status = status;
  response.body = R"({"error":{"code":")" + JsonEscape(code) + R"(","message":")" +
                  JsonEscape(message) + R"("}})";
  return response;
}

// --- EventStream --------------------------------------------------------------------------

std::shared_ptr<EventStream> EventStream::Create() {
  return std::shared_ptr<EventStream>(new EventStream());
}

bool EventStream::Send(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(event.size() + data.size() + 16);
  if (!event.empty()) {
    out.append("event: ");
    for (char c : event) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
    out.push_back('\n');
  }
  size_t start = 0;
  while (true) {
    size_t end = data.find_first_of("\r\n", start);
    out.append("data: ").append(data.substr(start, end - start)).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out.push_back('\n');
  return Enqueue(std::move(out));
}

bool EventStream::SendComment(std::string_view text) {
  std::string out = ": ";
  for (char c : text) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  out.append("\n\n");
  return Enqueue(std::move(out));
}

bool EventStream::Enqueue(std::string bytes) {
  {
    std::lock_guard lock(mu_);
    if (closed_ || close_requested_) return false;
    if (!sink_) {
      pending_.push_back(std::move(bytes));
      return true;
    }
    if (sink_->Write(std::move(bytes))) return true;
  }
  MarkClosed();  // the connection is gone (or the server stopped)
  return false;
}

void EventStream::Close() {
  bool gone = false;
  {
    std::lock_guard lock(mu_);
    if (closed_ || close_requested_) return;
    close_requested_ = true;
    if (sink_) gone = !sink_->Close();
  }
  if (gone) MarkClosed();
}

bool EventStream::IsOpen() const {
  std::lock_guard lock(mu_);
  return !closed_ && !close_requested_;
}

void EventStream::OnClose(std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    if (!closed_) {
      on_close_ = std::move(callback);
      return;
    }
  }
  if (callback) callback();
}

bool EventStream::Attach(std::shared_ptr<detail::EventSink> sink) {
  bool gone = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    sink_ = std::move(sink);
    for (std::string& bytes : pending_) {
      if (!sink_->Write(std::move(bytes))) gone = true;
    }
    pending_.clear();
    if (close_requested_ && !sink_->Close()) gone = true;
  }
  if (gone) MarkClosed();
  return true;
}

void EventStream::MarkClosed() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    sink_.reset();
    pending_.clear();
    callback = std::move(on_close_);
  }
  if (callback) callback();
}

Response EventStreamResponse(std::shared_ptr<EventStream> stream) {
  Response response;
  response.content_type = "text/event-stream";
  response.event_stream = std::move(stream);
  return response;
}

}  // namespace tradeledger::api::http
