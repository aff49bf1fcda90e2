// Replays a saved fuzz corpus through a libFuzzer entry point without libFuzzer, so that
// `./test` (built with g++) runs every fuzz target over its corpus. Arguments are files or
// folders; every regular file found is fed once.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

static void RunFile(const fs::path& p, size_t& count) {
  std::ifstream f(p, std::ios::binary);
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(data.data(), data.size());
  ++count;
}

int main(int argc, char** argv) {
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) RunFile(e.path(), count);
      }
    } else if (fs::is_regular_file(p)) {
      RunFile(p, count);
    } else {
      std::fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
      return 2;
    }
  }
  if (count == 0) {
    std::fprintf(stderr, "replay: the corpus is empty\n");
    return 2;
  }
  std::printf("replay: %zu inputs ran without a crash\n", count);
  return 0;
}
