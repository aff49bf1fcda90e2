// The gallery abstraction every modality implements (DESIGN.md, "Core abstractions"): samples are
// added and removed by profile, searched batch-first (several probes in one pass over memory) and
// restricted by a Selector. A gallery holds only what the store has committed: callers add and
// remove after the store's transaction succeeded, and rebuild from the store at start-up.
//
// Thread safety: Search and Score may run concurrently with each other; Add and Remove take the
// gallery exclusively for the (short) time of the change.
#ifndef IDREG_MATCH_GALLERY_H_
#define IDREG_MATCH_GALLERY_H_

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "idreg/core/id.h"
#include "idreg/core/result.h"
#include "idreg/match/selector.h"

namespace idreg::match {

// Who a template belongs to: the profile, the stored biometric record, and where it was taken
// (a finger position, "frontal", ...; may be empty).
struct SampleKey {
  ProfileId profile;
  Id sample;
  std::string position;
};

// One search result: the profile, its sample that scored best against the probe, and the
// modality's raw score (higher is more similar; its scale is the modality's own).
struct Candidate {
  ProfileId profile;
  Id sample;
  std::string position;
  double score = 0;
};

// Per probe, its candidates best first (one per profile: the profile's best sample).
using CandidateLists = std::vector<std::vector<Candidate>>;

template <typename Template, typename Probe>
class Gallery {
 public:
  virtual ~Gallery() = default;

  // The modality name as the store records it ("finger", "dna", ...).
  virtual std::string modality() const = 0;

  // Adds one template per key. InvalidArgument when the sizes differ or a key's sample id is
  // already in the gallery (nothing is added then).
  virtual Status Add(std::span<const SampleKey> keys, std::vector<Template> templates) = 0;

  // Removes every sample of these profiles. NotFound naming the first id the gallery does not
  // hold (nothing is removed then).
  virtual Status Remove(std::span<const ProfileId> profiles) = 0;

  // The top `k` profiles per probe among those the selector admits, best first. A gallery may
  // leave out candidates its modality rules out (DNA: profiles that do not agree).
  virtual CandidateLists Search(std::span<const Probe> probes, size_t k, const Selector& selector) const = 0;

  // Every sample of these profiles scored against each probe (1:1 verification, and the second
  // pass of fusion that completes a candidate's scores): per probe, one Candidate per listed
  // profile holding a comparable sample, in no particular order.
  virtual CandidateLists Score(std::span<const Probe> probes, std::span<const ProfileId> profiles) const = 0;

  virtual size_t samples() const = 0;
  virtual size_t profiles() const = 0;
  virtual size_t MemoryBytes() const = 0;
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_GALLERY_H_
