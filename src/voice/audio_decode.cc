#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

#include "idreg/voice/audio.h"
#include "voice/parameters.h"

namespace idreg::voice {
namespace {

// libsndfile's virtual I/O over a byte span.
struct MemoryFile {
  std::span<const uint8_t> bytes;
  sf_count_t pos = 0;
};

sf_count_t VLength(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->bytes.size()); }

sf_count_t VSeek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t size = static_cast<sf_count_t>(f->bytes.size());
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : size;
  sf_count_t next = base + offset;
  if (next < 0 || next > size) return -1;
  f->pos = next;
  return f->pos;
}

sf_count_t VRead(void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t size = static_cast<sf_count_t>(f->bytes.size());
  const sf_count_t n = std::max<sf_count_t>(0, std::min(count, size - f->pos));
  if (n > 0) std::memcpy(ptr, f->bytes.data() + f->pos, static_cast<size_t>(n));
  f->pos += n;
  return n;
}

sf_count_t VWrite(const void*, sf_count_t, void*) { return 0; }
sf_count_t VTell(void* user) { return static_cast<MemoryFile*>(user)->pos; }

struct SndFileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};

}  // namespace

Result<Audio> DecodeAudio(std::span<const uint8_t> bytes, std::string_view format_hint) {
  if (bytes.empty()) return Status::InvalidArgument("audio: the input is empty");
  if (bytes.size() > params::kMaxInputBytes)
    return Status::InvalidArgument("audio: the input is " + std::to_string(bytes.size()) +
                                   " bytes, over the limit of " + std::to_string(params::kMaxInputBytes));
  MemoryFile mem{bytes, 0};
  SF_VIRTUAL_IO io{VLength, VSeek, VRead, VWrite, VTell};
  SF_INFO info{};
  if (format_hint == "gsm") {
    info.format = SF_FORMAT_RAW | SF_FORMAT_GSM610;
    info.samplerate = 8000;
    info.channels = 1;
  }
  std::unique_ptr<SNDFILE, SndFileCloser> file(sf_open_virtual(&io, SFM_READ, &info, &mem));
  if (!file) return Status::InvalidArgument(std::string("audio: cannot decode: ") + sf_strerror(nullptr));
  if (info.channels < 1 || info.channels > params::kMaxChannels)
    return Status::InvalidArgument("audio: " + std::to_string(info.channels) +
                                   " channels; only mono and stereo are accepted");
  if (info.samplerate < params::kMinInputRate || info.samplerate > params::kMaxInputRate)
    return Status::InvalidArgument("audio: sample rate " + std::to_string(info.samplerate) +
                                   " Hz is outside 8000-48000 Hz");
  const double max_frames = params::kMaxInputSeconds * info.samplerate;
  if (info.frames > 0 && double(info.frames) > max_frames)
    return Status::InvalidArgument("audio: " + std::to_string(info.frames / info.samplerate) +
                                   " s is over the limit of " +
                                   std::to_string(int(params::kMaxInputSeconds)) + " s");
  Audio out;
  out.sample_rate = info.samplerate;
  std::vector<float> block(4096 * size_t(info.channels));
  size_t clipped = 0, total = 0;
  for (;;) {
    const sf_count_t got = sf_readf_float(file.get(), block.data(), 4096);
    if (got <= 0) break;
    for (sf_count_t i = 0; i < got; ++i) {
      float sum = 0;
      for (int c = 0; c < info.channels; ++c) {
        float v = block[size_t(i) * info.channels + c];
        if (!std::isfinite(v)) v = 0;  // float WAVs can hold NaN; treat as silence, not as a crash
        v = std::clamp(v, -1.0f, 1.0f);
        out.peak = std::max(out.peak, std::fabs(v));
        clipped += std::fabs(v) >= params::kClipLevel;
        sum += v;
      }
      out.samples.push_back(sum / float(info.channels));
      total += size_t(info.channels);
    }
    if (double(out.samples.size()) > max_frames)
      return Status::InvalidArgument("audio: longer than the limit of " +
                                     std::to_string(int(params::kMaxInputSeconds)) + " s");
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR && out.samples.empty())
    return Status::InvalidArgument(std::string("audio: decoding failed: ") + sf_strerror(file.get()));
  if (out.samples.empty()) return Status::InvalidArgument("audio: the input holds no samples");
  out.clipped_fraction = total ? double(clipped) / double(total) : 0;
  return out;
}

Result<Audio> ReadAudioFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::NotFound("audio: cannot read " + path.string() + ": " + ec.message());
  if (size > params::kMaxInputBytes)
    return Status::InvalidArgument("audio: " + path.string() + " is " + std::to_string(size) +
                                   " bytes, over the limit of " + std::to_string(params::kMaxInputBytes));
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes(size);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size)))
    return Status::NotFound("audio: cannot read " + path.string());
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  auto audio = DecodeAudio(bytes, ext == ".gsm" ? "gsm" : "");
  if (!audio.ok())
    return Status(audio.status().code(), path.string() + ": " + audio.status().message());
  return audio;
}

}  // namespace idreg::voice
