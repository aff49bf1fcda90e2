// Small helpers shared by the integration tests: a scratch directory, whole-file reads, byte
// searches, and running a program with its output captured.
#ifndef IDREG_TESTS_INTEGRATION_TEST_SUPPORT_H_
#define IDREG_TESTS_INTEGRATION_TEST_SUPPORT_H_

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace idreg::testing_support {

// A fresh directory under $TMPDIR (or /tmp), removed when the test passed; kept, and named on
// stderr, when it failed or IDREG_KEEP_TMP is set, so the store can be inspected.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) != nullptr) path_ = buf.data();
  }
  ~ScratchDir() {
    if (path_.empty()) return;
    if (keep_ || std::getenv("IDREG_KEEP_TMP")) {
      std::fprintf(stderr, "kept scratch directory %s\n", path_.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }
  void Keep() { keep_ = true; }

 private:
  std::string path_;
  bool keep_ = false;
};

// The whole file as bytes; nullopt when it does not exist or cannot be read.
inline std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool WriteWholeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct RunResult {
  int exit_code = -1;  // the exit status, or 128 + signal when killed by one
  bool signaled = false;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] is the program's path) in `cwd`, with the current environment changed by
// `env` (a value of nullopt removes the variable), stdin from /dev/null, and stdout and stderr
// captured through files in `capture_dir`.
inline RunResult RunProgram(const std::vector<std::string>& argv, const std::string& cwd,
                            const std::map<std::string, std::optional<std::string>>& env,
                            const std::string& capture_dir) {
  RunResult result;
  const std::string out_path = capture_dir + "/.stdout";
  const std::string err_path = capture_dir + "/.stderr";
  pid_t pid = ::fork();
  if (pid < 0) return result;
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& [name, value] : env) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.exit_code = 128 + WTERMSIG(status);
  }
  result.out = ReadWholeFile(out_path).value_or("");
  result.err = ReadWholeFile(err_path).value_or("");
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return result;
}

}  // namespace idreg::testing_support

#endif  // IDREG_TESTS_INTEGRATION_TEST_SUPPORT_H_
