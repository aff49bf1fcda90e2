#include "voice/voice_test_support.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace idreg::voice::testing {
namespace {
// Appended one byte at a time: GCC 12 warns falsely (-Wstringop-overflow) on inserting a braced list.
void PutText(std::vector<uint8_t>& b, const char* text) {
  for (; *text; ++text) b.push_back(static_cast<uint8_t>(*text));
}
void Put(std::vector<uint8_t>& b, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(uint8_t(v >> (8 * i)));
}
}  // namespace

std::vector<uint8_t> MakeWav(const std::vector<float>& x, int rate, int channels) {
  std::vector<uint8_t> b;
  const uint32_t data = uint32_t(x.size() * 2);
  PutText(b, "RIFF");
  Put(b, 36 + data, 4);
  PutText(b, "WAVEfmt ");
  Put(b, 16, 4);
  Put(b, 1, 2);
  Put(b, uint32_t(channels), 2);
  Put(b, uint32_t(rate), 4);
  Put(b, uint32_t(rate * channels * 2), 4);
  Put(b, uint32_t(channels * 2), 2);
  Put(b, 16, 2);
  PutText(b, "data");
  Put(b, data, 4);
  for (float v : x) Put(b, uint32_t(uint16_t(int16_t(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767)))), 2);
  return b;
}

std::vector<float> Vowel(double seconds, int rate, float amp) {
  std::vector<float> x(size_t(seconds * rate));
  for (size_t i = 0; i < x.size(); ++i) {
    const double t = double(i) / rate;
    double v = 0;
    for (int h = 1; h <= 20; ++h) v += std::sin(2 * std::numbers::pi * 120 * h * t) / h;
    x[i] = float(amp * v / 2.0);
  }
  return x;
}

std::vector<float> Noise(double seconds, int rate, float amp, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.0f, amp);
  std::vector<float> x(size_t(seconds * rate));
  for (float& v : x) v = n(rng);
  return x;
}

}  // namespace idreg::voice::testing
