// crash_writer STORE_URL KEY_FILE FIRST_COUNTER [COUNT]: enrolls EnrollmentFor(counter) for
// counter = FIRST_COUNTER, FIRST_COUNTER+1, ... (COUNT of them, or until killed) and, after each
// Enroll has returned OK, writes "<counter> <profile id>\n" to stdout in one unbuffered write.
// crash_safety_test SIGKILLs it at a random moment and checks the store it leaves behind.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "idreg/registry/master_key.h"
#include "idreg/registry/store.h"
#include "integration/crash_enrollment.h"

namespace {

bool WriteAll(const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "crash_writer: %s\n", what.c_str());
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) return Fail("usage: crash_writer STORE_URL KEY_FILE FIRST_COUNTER [COUNT]");
  const std::string url = argv[1];
  const int64_t first = std::atoll(argv[3]);
  const int64_t count = argc == 5 ? std::atoll(argv[4]) : -1;

  auto key = idreg::MasterKey::Load(argv[2]);
  if (!key.ok()) return Fail(key.status().ToString());
  idreg::StoreOptions options;
  options.master_key = *key;
  options.create_if_missing = true;
  auto store = idreg::Store::Open(url, options);
  if (!store.ok()) return Fail(store.status().ToString());

  const idreg::Actor actor = idreg::crashtest::WriterActor();
  for (int64_t counter = first; count < 0 || counter < first + count; ++counter) {
    auto id = (*store)->Enroll(idreg::crashtest::EnrollmentFor(counter), actor);
    if (!id.ok()) return Fail("enrollment " + std::to_string(counter) + ": " + id.status().ToString());
    if (!WriteAll(std::to_string(counter) + " " + id->ToString() + "\n")) return Fail("stdout closed");
  }
  return 0;
}
