// The two-stage 1:N gallery (gallery.h): coarse codes scanned on every core, a bounded shortlist per
// thread merged, then full MCC matching of the shortlist with cylinders rebuilt from minutiae.
#include "idreg/finger/gallery.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cmath>
#include <queue>
#include <thread>

#include "finger/coarse_internal.h"
#include "finger/parameters.h"

namespace idreg::finger {
namespace {

using params::kCoarsePrefilterProbeCylinders;
using params::kCoarsePrefilterMinTemplates;
using params::kCoarsePrefilterShare;
using params::kCoarsePrefilterShortlists;

unsigned Threads(unsigned requested) {
  return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

// Runs fn(thread, begin, end) over [0, n) in blocks of `block` that `threads` threads take in turn
// (an atomic counter): whatever the admitted templates' layout (one finger position per half of the
// gallery after a bulk load, a watchlist's few) and whatever else loads the cores, every thread
// stays busy until the last block. Contiguous halves left one core idle when a filter admitted
// only one half (BENCHMARKS.md, "Sixth session").
template <typename Fn>
void ParallelBlocks(size_t n, size_t block, unsigned threads, Fn fn) {
  const size_t blocks = (n + block - 1) / block;
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, blocks)));
  std::atomic<size_t> next{0};
  auto work = [&](unsigned t) {
    for (size_t b; (b = next.fetch_add(1, std::memory_order_relaxed)) < blocks;) {
      fn(t, b * block, std::min(n, (b + 1) * block));
    }
  };
  if (threads <= 1) return work(0);
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Ranked {
  uint32_t score;
  uint32_t index;
  // "Better": higher score, then lower index (a deterministic order).
  bool operator<(const Ranked& o) const { return score != o.score ? score > o.score : index < o.index; }
};

}  // namespace

uint32_t FingerGallery::Add(const FingerTemplate& input) { return Add(input, 0); }

void FingerGallery::PushLive() {
  const size_t i = counts_.size() - 1;
  if (live_.size() * 64 <= i) live_.push_back(0);
  live_[i / 64] |= uint64_t{1} << (i % 64);
}

uint32_t FingerGallery::Add(const FingerTemplate& input, uint8_t tag) {
  // The persistent form counts minutiae in a byte, as ISO/IEC 19794-2 does.
  if (input.minutiae.size() > 255) {
    FingerTemplate capped = input;
    capped.minutiae.resize(255);
    return Add(capped, MakeCoarseTemplate(capped), tag);
  }
  return Add(input, MakeCoarseTemplate(input), tag);
}

uint32_t FingerGallery::Add(const FingerTemplate& input, const CoarseTemplate& given, uint8_t tag) {
  FingerTemplate capped;
  const bool cap = input.minutiae.size() > 255;
  if (cap) {
    capped = input;
    capped.minutiae.resize(255);
  }
  const FingerTemplate& tmpl = cap ? capped : input;
  // A form that cannot belong to this template is not trusted: its codes are built instead.
  const bool fits = given.size() <= tmpl.minutiae.size() &&
                    given.codes.size() == given.size() * CoarseTemplate::kCodeWords;
  const CoarseTemplate built = fits ? CoarseTemplate{} : MakeCoarseTemplate(tmpl);
  // Only the cylinders the scan compares are kept (GalleryCoarseTemplate): about 1.6 KB instead of
  // 3.2 KB per synthetic template, and the scan reads them without choosing.
  const CoarseTemplate& full = fits ? given : built;
  const bool trim = full.size() > static_cast<size_t>(params::kCoarseGalleryCylinders);
  const CoarseTemplate trimmed = trim ? GalleryCoarseTemplate(full) : CoarseTemplate{};
  const CoarseTemplate& coarse = trim ? trimmed : full;
  for (const Minutia& m : tmpl.minutiae) {
    const double turns = m.direction / (2 * params::kPi);
    minutiae_.push_back({static_cast<uint16_t>(std::clamp(m.x, 0, 65535)),
                         static_cast<uint16_t>(std::clamp(m.y, 0, 65535)),
                         static_cast<uint16_t>(static_cast<long>(std::floor(turns * 65536 + 0.5)) & 65535)});
  }
  minutia_offsets_.push_back(static_cast<uint32_t>(minutiae_.size()));
  codes_.insert(codes_.end(), coarse.codes.begin(), coarse.codes.end());
  directions_.insert(directions_.end(), coarse.directions.begin(), coarse.directions.end());
  counts_.push_back(static_cast<uint16_t>(coarse.size()));
  code_offsets_.push_back(static_cast<uint32_t>(directions_.size()));
  sizes_.push_back(static_cast<uint16_t>(std::clamp(tmpl.width, 0, 65535)));
  sizes_.push_back(static_cast<uint16_t>(std::clamp(tmpl.height, 0, 65535)));
  tags_.push_back(tag);
  PushLive();
  return static_cast<uint32_t>(counts_.size() - 1);
}

void FingerGallery::Remove(uint32_t index) {
  if (!alive(index)) return;
  live_[index / 64] &= ~(uint64_t{1} << (index % 64));
  ++removed_;
}

std::vector<uint32_t> FingerGallery::Compact() {
  std::vector<uint32_t> map(size(), kRemoved);
  // In place: a kept template's new offsets are never past its old ones, so each copy moves data
  // towards the front over data already copied or dropped.
  size_t n = 0, m = 0, c = 0;
  for (size_t i = 0; i < size(); ++i) {
    if (!alive(static_cast<uint32_t>(i))) continue;
    const size_t m0 = minutia_offsets_[i], m1 = minutia_offsets_[i + 1];
    const size_t c0 = code_offsets_[i], c1 = code_offsets_[i + 1];
    std::copy(minutiae_.begin() + m0, minutiae_.begin() + m1, minutiae_.begin() + m);
    std::copy(codes_.begin() + c0 * CoarseTemplate::kCodeWords, codes_.begin() + c1 * CoarseTemplate::kCodeWords,
              codes_.begin() + c * CoarseTemplate::kCodeWords);
    std::copy(directions_.begin() + c0, directions_.begin() + c1, directions_.begin() + c);
    m += m1 - m0;
    c += c1 - c0;
    counts_[n] = counts_[i];
    sizes_[2 * n] = sizes_[2 * i];
    sizes_[2 * n + 1] = sizes_[2 * i + 1];
    tags_[n] = tags_[i];
    minutia_offsets_[n + 1] = static_cast<uint32_t>(m);
    code_offsets_[n + 1] = static_cast<uint32_t>(c);
    map[i] = static_cast<uint32_t>(n++);
  }
  minutiae_.resize(m);
  codes_.resize(c * CoarseTemplate::kCodeWords);
  directions_.resize(c);
  counts_.resize(n);
  sizes_.resize(2 * n);
  tags_.resize(n);
  minutia_offsets_.resize(n + 1);
  code_offsets_.resize(n + 1);
  live_.assign((n + 63) / 64, 0);
  for (size_t i = 0; i < n; ++i) live_[i / 64] |= uint64_t{1} << (i % 64);
  removed_ = 0;
  return map;
}

void FingerGallery::Append(const FingerGallery& other) {
  const uint32_t m0 = static_cast<uint32_t>(minutiae_.size()), c0 = static_cast<uint32_t>(directions_.size());
  for (size_t i = 1; i < other.minutia_offsets_.size(); ++i) minutia_offsets_.push_back(m0 + other.minutia_offsets_[i]);
  minutiae_.insert(minutiae_.end(), other.minutiae_.begin(), other.minutiae_.end());
  constexpr int keep = params::kCoarseGalleryCylinders;
  if (std::all_of(other.counts_.begin(), other.counts_.end(), [](uint16_t c) { return c <= keep; })) {
    for (size_t i = 1; i < other.code_offsets_.size(); ++i) code_offsets_.push_back(c0 + other.code_offsets_[i]);
    codes_.insert(codes_.end(), other.codes_.begin(), other.codes_.end());
    directions_.insert(directions_.end(), other.directions_.begin(), other.directions_.end());
    counts_.insert(counts_.end(), other.counts_.begin(), other.counts_.end());
  } else {
    // A gallery parsed from a form written before galleries kept only the compared cylinders (or
    // any IDFG file: the form allows every cylinder): each template keeps the ones the scan would
    // choose, so searches are unchanged.
    size_t cylinders = 0;
    for (uint16_t c : other.counts_) cylinders += std::min<int>(c, keep);
    codes_.reserve(codes_.size() + cylinders * CoarseTemplate::kCodeWords);
    directions_.reserve(directions_.size() + cylinders);
    CandidateCylinders chosen;
    for (size_t i = 0; i < other.size(); ++i) {
      const size_t first = other.code_offsets_[i];
      chosen.Choose(other.codes_.data() + first * CoarseTemplate::kCodeWords, other.directions_.data() + first,
                    other.counts_[i]);
      codes_.insert(codes_.end(), chosen.codes, chosen.codes + static_cast<size_t>(chosen.count) * CoarseTemplate::kCodeWords);
      directions_.insert(directions_.end(), chosen.directions, chosen.directions + chosen.count);
      counts_.push_back(static_cast<uint16_t>(chosen.count));
      code_offsets_.push_back(static_cast<uint32_t>(directions_.size()));
    }
  }
  sizes_.insert(sizes_.end(), other.sizes_.begin(), other.sizes_.end());
  const size_t first = tags_.size();
  tags_.insert(tags_.end(), other.tags_.begin(), other.tags_.end());
  live_.resize((counts_.size() + 63) / 64, 0);
  for (size_t i = 0; i < other.size(); ++i) {
    if (other.alive(static_cast<uint32_t>(i))) live_[(first + i) / 64] |= uint64_t{1} << ((first + i) % 64);
  }
  removed_ += other.removed_;
}

size_t FingerGallery::MemoryBytes() const {
  return minutia_offsets_.capacity() * sizeof(uint32_t) + minutiae_.capacity() * sizeof(PackedMinutia) +
         code_offsets_.capacity() * sizeof(uint32_t) + counts_.capacity() * sizeof(uint16_t) +
         codes_.capacity() * sizeof(uint64_t) + directions_.capacity() + sizes_.capacity() * sizeof(uint16_t) +
         tags_.capacity() + live_.capacity() * sizeof(uint64_t);
}

FingerTemplate FingerGallery::Template(uint32_t index) const {
  FingerTemplate t;
  if (index >= size()) return t;
  t.width = sizes_[2 * index];
  t.height = sizes_[2 * index + 1];
  for (uint32_t i = minutia_offsets_[index]; i < minutia_offsets_[index + 1]; ++i) {
    Minutia m;
    m.x = minutiae_[i].x;
    m.y = minutiae_[i].y;
    m.direction = static_cast<float>(minutiae_[i].direction * (2 * params::kPi / 65536));
    t.minutiae.push_back(m);
  }
  return t;
}

template <typename Fn>
void FingerGallery::ForEachAdmitted(const Filter& filter, size_t begin, size_t end, Fn fn) const {
  // A word of the live bitmap (and of the subset) at a time: removed and unselected templates
  // cost one AND per 64.
  const bool all_tags = filter.tags[0] == ~0ull && filter.tags[1] == ~0ull && filter.tags[2] == ~0ull &&
                        filter.tags[3] == ~0ull;
  for (size_t w = begin / 64; w * 64 < end; ++w) {
    uint64_t bits = live_[w];
    if (filter.subset) bits &= w < filter.subset->size() ? (*filter.subset)[w] : 0;
    if (w * 64 < begin) bits &= ~0ull << (begin % 64);
    if ((w + 1) * 64 > end) bits &= (end % 64) ? (~0ull >> (64 - end % 64)) : ~0ull;
    while (bits) {
      const size_t i = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
      bits &= bits - 1;
      if (all_tags || filter.AdmitsTag(tags_[i])) fn(i);
    }
  }
}

std::vector<uint32_t> FingerGallery::CoarseShortlist(const CoarseTemplate& probe, size_t count,
                                                     unsigned threads, bool reference) const {
  return CoarseShortlist(probe, count, threads, Filter{}, reference);
}

size_t FingerGallery::CountAdmitted(const Filter& filter) const {
  size_t n = 0;
  ForEachAdmitted(filter, 0, size(), [&](size_t) { ++n; });
  return n;
}

std::vector<uint32_t> FingerGallery::CoarseShortlist(const CoarseTemplate& probe, size_t count, unsigned threads,
                                                     const Filter& filter, bool reference, CoarseStats* stats) const {
  static const CoarseKernel best_kernel = BestCoarseKernel();
  const CoarseKernel kernel = reference ? CoarseKernelScalar : best_kernel;
  threads = Threads(threads);
  CoarseStats local;
  CoarseStats& st = stats ? *stats : local;
  st = {};
  const PreparedCoarseProbe full(probe);
  if (count == 0) return {};
  // The best `keep` by `prepared`'s score among the indices for_each(begin, end, fn) visits, per
  // thread over blocks of [0, n), merged: the best `keep` under Ranked's total order is the same
  // whichever thread saw which block, so the result equals a one-thread scan's. `wall` and `cpu`
  // add the pass's time (summed over the threads) for CoarseStats.
  auto best = [&](const PreparedCoarseProbe& prepared, size_t n, size_t block, size_t keep, double& wall,
                  double& cpu, auto for_each) {
    const auto start = Clock::now();
    std::vector<std::vector<Ranked>> heaps(threads);
    std::vector<double> cpu_of(threads, 0);
    ParallelBlocks(n, block, threads, [&](unsigned t, size_t begin, size_t end) {
      const double c0 = stats ? ThreadCpuSeconds() : 0;
      // A max-heap under Ranked's order keeps the worst of the best `keep` on top.
      std::vector<Ranked>& heap = heaps[t];
      if (heap.capacity() == 0) heap.reserve(std::min(keep, n) + 1);
      CandidateCylinders chosen;
      for_each(begin, end, [&](size_t i) {
        const uint32_t s =
            CoarseCompare(kernel, prepared, codes_.data() + static_cast<size_t>(code_offsets_[i]) * CoarseTemplate::kCodeWords,
                          directions_.data() + code_offsets_[i], counts_[i], chosen);
        const Ranked r{s, static_cast<uint32_t>(i)};
        if (heap.size() < keep) {
          heap.push_back(r);
          std::push_heap(heap.begin(), heap.end());
        } else if (r < heap.front()) {
          std::pop_heap(heap.begin(), heap.end());
          heap.back() = r;
          std::push_heap(heap.begin(), heap.end());
        }
      });
      if (stats) cpu_of[t] += ThreadCpuSeconds() - c0;
    });
    const auto merge_start = Clock::now();
    const double merge_cpu = stats ? ThreadCpuSeconds() : 0;
    std::vector<Ranked> all;
    for (const auto& h : heaps) all.insert(all.end(), h.begin(), h.end());
    if (all.size() > keep) {
      std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end());
      all.resize(keep);
    }
    std::sort(all.begin(), all.end());
    std::vector<uint32_t> out;
    out.reserve(all.size());
    for (const Ranked& r : all) out.push_back(r.index);
    if (stats) {
      st.merge_s += Since(merge_start);
      for (double c : cpu_of) cpu += c;
      st.busiest_cpu_s += *std::max_element(cpu_of.begin(), cpu_of.end());
      cpu += ThreadCpuSeconds() - merge_cpu;
    }
    wall += Since(start);
    return out;
  };
  auto admitted = [&](size_t begin, size_t end, auto fn) { ForEachAdmitted(filter, begin, end, fn); };
  // Blocks of 64 bitmap words: a few hundred per scan of a large gallery.
  constexpr size_t kScanBlock = 4096;
  // The prefilter (parameters.h): only on large galleries (counted in the templates the filter
  // admits, so that a finger position's share of the gallery is prefiltered as a gallery of that
  // size would be), where it keeps fewer than those and scans fewer probe cylinders than the score.
  const size_t candidates = size() < kCoarsePrefilterMinTemplates ? 0 : CountAdmitted(filter);
  st.admitted = candidates;
  const size_t keep = std::max(count * static_cast<size_t>(kCoarsePrefilterShortlists),
                               static_cast<size_t>(static_cast<double>(candidates) * kCoarsePrefilterShare));
  if (candidates < kCoarsePrefilterMinTemplates || keep >= candidates || full.count <= kCoarsePrefilterProbeCylinders)
    return best(full, size(), kScanBlock, count, st.score_wall_s, st.score_cpu_s, admitted);
  std::vector<uint32_t> kept = best(PreparedCoarseProbe(probe, kCoarsePrefilterProbeCylinders), size(), kScanBlock, keep,
                                    st.prefilter_wall_s, st.prefilter_cpu_s, admitted);
  st.kept = kept.size();
  // In index order: the second pass reads the codes front to back (ties are by index anyway).
  std::sort(kept.begin(), kept.end());
  return best(full, kept.size(), 256, count, st.score_wall_s, st.score_cpu_s, [&](size_t begin, size_t end, auto fn) {
    for (size_t k = begin; k < end; ++k) fn(kept[k]);
  });
}

std::vector<float> FingerGallery::MatchIndices(const FingerProbe& probe, std::span<const uint32_t> indices,
                                               unsigned threads) const {
  std::vector<float> scores(indices.size(), 0);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < indices.size();) {
      if (alive(indices[i])) scores[i] = probe.Match(SearchTemplate(Template(indices[i])));
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(Threads(threads), indices.size()); ++t) pool.emplace_back(work);
  work();
  for (std::thread& th : pool) th.join();
  return scores;
}

std::vector<FingerGallery::Candidate> FingerGallery::Search(const FingerTemplate& probe_template,
                                                            const SearchOptions& options) const {
  return Search(FingerProbe(probe_template), options, Filter{});
}

std::vector<FingerGallery::Candidate> FingerGallery::Search(const FingerProbe& probe, const SearchOptions& options,
                                                            const Filter& filter) const {
  const unsigned threads = Threads(options.threads);
  std::vector<uint32_t> list;
  ForEachAdmitted(filter, 0, size(), [&](size_t i) {
    if (options.shortlist == 0 || list.size() <= options.shortlist) list.push_back(static_cast<uint32_t>(i));
  });
  if (options.shortlist != 0 && list.size() > options.shortlist) {
    list = CoarseShortlist(MakeCoarseTemplate(probe.search()), options.shortlist, threads, filter);
  }
  const std::vector<float> scores = MatchIndices(probe, list, threads);
  std::vector<Candidate> out;
  for (size_t i = 0; i < list.size(); ++i) out.push_back({list[i], scores[i]});
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  if (out.size() > options.top_k) out.resize(options.top_k);
  return out;
}

}  // namespace idreg::finger
