// Which profiles a 1:N search may return: everyone, a list of profile ids (MOSIP's "gallery" in
// an IDENTIFY request), or the members of a named watchlist (resolved from the store by the
// caller, so that this module never reads the store during a search).
#ifndef IDREG_MATCH_SELECTOR_H_
#define IDREG_MATCH_SELECTOR_H_

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "idreg/core/id.h"

namespace idreg::match {

struct IdHash {
  size_t operator()(const Id& id) const noexcept;
};

class Selector {
 public:
  // Everyone in the gallery.
  Selector() = default;
  static Selector Everyone() { return Selector(); }
  // Only these profiles (duplicates ignored; an id the gallery does not hold selects nothing).
  static Selector Profiles(const std::vector<ProfileId>& ids);
  // The members of the watchlist `name`, as read from the store.
  static Selector Watchlist(std::string name, const std::vector<ProfileId>& members);

  bool everyone() const { return !ids_; }
  bool Contains(const ProfileId& id) const { return !ids_ || ids_->count(id) > 0; }
  // The selected ids; empty when everyone().
  const std::unordered_set<ProfileId, IdHash>* ids() const { return ids_.get(); }
  // The watchlist's name, "" for the other kinds.
  const std::string& watchlist() const { return watchlist_; }
  // For logs and audit details: "everyone", "profiles:3", "watchlist:NAME".
  std::string Describe() const;

 private:
  std::shared_ptr<const std::unordered_set<ProfileId, IdHash>> ids_;
  std::string watchlist_;
};

}  // namespace idreg::match

#endif  // IDREG_MATCH_SELECTOR_H_
