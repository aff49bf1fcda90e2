#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "idreg/voice/audio.h"
#include "voice/parameters.h"

namespace idreg::voice {
namespace {

// The windowed-sinc (Blackman) tap weight at distance d input samples.
double Kernel(double d, double cutoff, int half) {
  constexpr double kPi = std::numbers::pi;
  const double u = (d / half + 1.0) * 0.5;  // 0..1 across the window
  if (u <= 0 || u >= 1) return 0;
  const double x = cutoff * d;
  const double sinc = std::fabs(x) < 1e-9 ? 1.0 : std::sin(kPi * x) / (kPi * x);
  return sinc * (0.42 - 0.5 * std::cos(2 * kPi * u) + 0.08 * std::cos(4 * kPi * u));
}

}  // namespace

// A windowed-sinc interpolator with its cut-off at 95% of the lower Nyquist frequency, so
// downsampling does not alias. Output instant i sits at input time i * in/out; with the rates
// reduced by their gcd, that instant's fractional phase repeats every `out` outputs, so the taps
// of each phase are computed once (polyphase form).
Audio Resample(const Audio& in, int rate_hz) {
  if (in.sample_rate == rate_hz || in.samples.empty() || in.sample_rate <= 0 || rate_hz <= 0) return in;
  const long g = std::gcd(long(in.sample_rate), long(rate_hz));
  const long up = rate_hz / g, down = in.sample_rate / g;  // output i at input (i * down) / up
  const double ratio = double(rate_hz) / in.sample_rate;
  const double cutoff = std::min(1.0, ratio) * 0.95;
  const int half = int(std::ceil(params::kResampleHalfTaps / std::min(1.0, ratio)));
  const int taps = 2 * half;
  const auto n_in = static_cast<long>(in.samples.size());
  const long n_out = n_in * up / down;
  // Phase p (= (i * down) mod up) has fraction p/up; its taps k = center-half+1 .. center+half.
  std::vector<float> table;
  const bool polyphase = up <= 4096;
  if (polyphase) {
    table.resize(size_t(up) * size_t(taps));
    for (long p = 0; p < up; ++p) {
      const double frac = double(p) / double(up);
      double norm = 0;
      for (int j = 0; j < taps; ++j) norm += Kernel(frac + half - 1 - j, cutoff, half);
      for (int j = 0; j < taps; ++j)
        table[size_t(p) * taps + size_t(j)] = float(Kernel(frac + half - 1 - j, cutoff, half) / norm);
    }
  }
  Audio out;
  out.sample_rate = rate_hz;
  out.clipped_fraction = in.clipped_fraction;
  out.peak = in.peak;
  out.samples.resize(static_cast<size_t>(std::max(0L, n_out)));
  for (long i = 0; i < n_out; ++i) {
    const long num = i * down;
    const long center = num / up, phase = num % up;
    const long first = center - half + 1;
    double acc = 0;
    if (polyphase) {
      const float* w = table.data() + size_t(phase) * taps;
      for (int j = 0; j < taps; ++j) {
        const long k = first + j;
        if (k >= 0 && k < n_in) acc += double(w[j]) * in.samples[size_t(k)];
      }
    } else {
      const double frac = double(phase) / double(up);
      double norm = 0;
      for (int j = 0; j < taps; ++j) {
        const double h = Kernel(frac + half - 1 - j, cutoff, half);
        norm += h;
        const long k = first + j;
        if (k >= 0 && k < n_in) acc += h * in.samples[size_t(k)];
      }
      acc = norm > 0 ? acc / norm : 0;
    }
    out.samples[size_t(i)] = float(acc);
  }
  return out;
}

}  // namespace idreg::voice
