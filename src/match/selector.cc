#include "idreg/match/selector.h"

#include <cstring>

namespace idreg::match {

size_t IdHash::operator()(const Id& id) const noexcept {
  // Ids are uniformly random, so any 8 of their bytes are already a good hash.
  uint64_t h;
  std::memcpy(&h, id.bytes().data(), sizeof h);
  return static_cast<size_t>(h);
}

Selector Selector::Profiles(const std::vector<ProfileId>& ids) {
  Selector s;
  s.ids_ = std::make_shared<const std::unordered_set<ProfileId, IdHash>>(ids.begin(), ids.end());
  return s;
}

Selector Selector::Watchlist(std::string name, const std::vector<ProfileId>& members) {
  Selector s = Profiles(members);
  s.watchlist_ = std::move(name);
  return s;
}

std::string Selector::Describe() const {
  if (everyone()) return "everyone";
  if (!watchlist_.empty()) return "watchlist:" + watchlist_;
  return "profiles:" + std::to_string(ids_->size());
}

}  // namespace idreg::match
