#include "cli/assess_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "assess/figures.h"
#include "assess/report.h"
#include "index/pg.h"

namespace tradeledger::cli {
namespace {

constexpr std::chrono::seconds kChromiumTimeout{180};

int Report(const core::Error& error, int code) {
  std::fprintf(stderr, "tradeledger assess: %s\n", error.ToString().c_str());
  return code;
}

// Writes `content` to `path` through a temporary file beside it, so that a reader never sees
// half a report.
core::Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) return core::Fail("WRITE_FAILED", "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return core::Fail("WRITE_FAILED", "cannot rename " + tmp + ": " + ec.message());
  return core::Ok();
}

// The first executable `name` in the directories of $PATH.
std::optional<std::string> FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (!dir.empty()) {
      std::string candidate = dir + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

// file:// URL of an absolute path, every byte but unreserved ones and '/' percent-encoded.
std::string FileUrl(const std::filesystem::path& path) {
  std::string url = "file://";
  for (unsigned char c : path.string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      url += buf;
    }
  }
  return url;
}

struct ProcessResult {
  int exit_status = -1;  // -1: killed by a signal or by the timeout
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved
};

// Runs `argv` (argv[0] an absolute path) in its own process group with stdin /dev/null and
// waits for it, collecting its output. After `timeout` the group is killed.
core::Result<ProcessResult> RunAndWait(const std::vector<std::string>& argv,
                                       std::chrono::milliseconds timeout) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return core::Fail("SPAWN_FAILED", std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return core::Fail("SPAWN_FAILED", std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  ProcessResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool open = true;
  int status = 0;
  bool exited = false;
  while (!exited) {
    if (open) {
      pollfd p{.fd = pipe_fds[0], .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, 200) > 0) {
        char buf[4096];
        ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
        if (n > 0) {
          result.output.append(buf, static_cast<size_t>(n));
        } else if (n == 0) {
          open = false;
        }
      }
    } else {
      ::usleep(100'000);
    }
    // Helpers the program started may keep the pipe open after it exits: its exit ends the
    // wait, not the pipe's end.
    pid_t waited = ::waitpid(pid, &status, WNOHANG);
    if (waited == pid) exited = true;
    if (!exited && std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.timed_out = true;
      exited = true;
    }
  }
  ::close(pipe_fds[0]);
  if (!result.timed_out && WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  return result;
}

// Prints the page at `html` to `pdf` with headless chromium. Exit code 0, 1 or 2.
int PrintPdf(const std::string& html, const std::string& pdf) {
  auto chromium = FindOnPath("chromium");
  if (!chromium) {
    return Report({"CHROMIUM_MISSING",
                   "--pdf needs Debian's chromium on PATH (apt-get install chromium); the HTML "
                   "report is written: " +
                       html},
                  2);
  }
  std::error_code ec;
  auto html_abs = std::filesystem::absolute(html, ec);
  auto pdf_abs = std::filesystem::absolute(pdf, ec);
  char profile_pattern[] = "/tmp/tl-assess-chromium-XXXXXX";
  if (::mkdtemp(profile_pattern) == nullptr) {
    return Report({"PDF_FAILED", std::string("mkdtemp: ") + std::strerror(errno)}, 1);
  }
  std::filesystem::remove(pdf_abs, ec);
  auto run = RunAndWait(
      {*chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
       "--no-first-run", std::string("--user-data-dir=") + profile_pattern,
       "--print-to-pdf=" + pdf_abs.string(), FileUrl(html_abs)},
      kChromiumTimeout);
  std::filesystem::remove_all(profile_pattern, ec);
  if (!run) return Report(run.error(), 1);
  std::string head;
  {
    std::ifstream in(pdf_abs, std::ios::binary);
    head.resize(5);
    if (!in.read(head.data(), 5)) head.clear();
  }
  if (run->exit_status != 0 || head != "%PDF-") {
    std::string why = run->timed_out
                          ? "timed out after " + std::to_string(kChromiumTimeout.count()) + " s"
                          : "exit status " + std::to_string(run->exit_status);
    std::string tail =
        run->output.size() > 2000 ? run->output.substr(run->output.size() - 2000) : run->output;
    return Report({"PDF_FAILED", "chromium " + why + ", no PDF in " + pdf_abs.string() +
                                     "; its output:\n" + tail},
                  1);
  }
  return 0;
}

}  // namespace

int Assess(const AssessOptions& options) {
  auto db = index::PgConnection::Connect(options.db);
  if (!db) return Report(db.error(), 2);
  // One snapshot for the meta row and every figure, while an indexer may be writing.
  if (auto begun = (*db)->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !begun) {
    return Report(begun.error(), 1);
  }
  auto meta = assess::ReadMeta(**db);
  if (!meta) return Report(meta.error(), 1);
  auto figures = assess::RunFigures(**db);
  if (!figures) return Report(figures.error(), 1);
  (*db)->Rollback();  // read only: nothing to commit
  meta->generated_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();

  if (auto written = WriteFileAtomically(options.out_html, assess::RenderHtml(*meta, *figures));
      !written) {
    return Report(written.error(), 1);
  }
  std::printf("wrote %s: %zu figures", options.out_html.c_str(), figures->size());
  if (meta->indexed) {
    std::printf(" of chain %s up to height %lld, as %s sees it\n", meta->chain_id.c_str(),
                static_cast<long long>(meta->height), meta->reader_org.c_str());
  } else {
    std::printf(" (the index is empty: no meta row)\n");
  }
  if (!options.out_json.empty()) {
    std::string json = assess::FiguresJson(*meta, *figures)
                           .dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    if (auto written = WriteFileAtomically(options.out_json, json + "\n"); !written) {
      return Report(written.error(), 1);
    }
    std::printf("wrote %s\n", options.out_json.c_str());
  }
  for (const auto& figure : *figures) {
    if (figure.id == "protected_identifiers" && !assess::NoProtectedIdentifiers(figure)) {
      std::fflush(stdout);
      std::fprintf(stderr,
                   "tradeledger assess: warning: text with the shape of an importer-of-record "
                   "number is stored (figure protected_identifiers)\n");
    }
  }
  if (!options.out_pdf.empty()) {
    std::fflush(stdout);
    if (int code = PrintPdf(options.out_html, options.out_pdf); code != 0) return code;
    std::printf("wrote %s\n", options.out_pdf.c_str());
  }
  return 0;
}

}  // namespace tradeledger::cli
