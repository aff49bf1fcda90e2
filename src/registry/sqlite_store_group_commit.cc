// Group commit of audit entries. Every audited read used to commit its own entry, so reads were
// bound by one fsync each (synchronous=FULL). Now a reader queues its entry and waits: the first
// waiter becomes the leader and commits everything queued so far in one transaction, and readers
// arriving meanwhile form the next batch. No entry is reported durable before its commit returned,
// so no data leaves the store with an audit entry that a crash could still lose.
#include "registry/sqlite_store.h"

namespace idreg {

Status SqliteStore::AppendAuditGrouped(const Actor& actor, const std::string& action, const std::string& object,
                                       const std::string& detail) {
  std::unique_lock lock(group_mu_);
  const uint64_t ticket = ++group_next_;
  group_queue_.push_back({ticket, actor, action, object, detail});
  for (;;) {
    if (group_done_ >= ticket) {
      auto failed = group_failed_.find(ticket);
      if (failed == group_failed_.end()) return Status::Ok();
      Status s = failed->second;
      group_failed_.erase(failed);
      return s;
    }
    if (!group_leader_) {
      group_leader_ = true;
      std::vector<QueuedAudit> batch = std::move(group_queue_);
      group_queue_.clear();
      lock.unlock();
      Status s = [&]() -> Status {
        std::lock_guard db_lock(mu_);
        IDREG_ASSIGN_OR_RETURN(auto txn, sqlite::Transaction::Begin(*db_));
        for (const QueuedAudit& q : batch) IDREG_RETURN_IF_ERROR(AppendAudit(q.actor, q.action, q.object, q.detail));
        return txn->Commit();
      }();
      lock.lock();
      if (!s.ok()) {
        for (const QueuedAudit& q : batch) group_failed_[q.ticket] = s;
      }
      // Batches are taken in ticket order, so this batch ends every ticket not yet done.
      group_done_ = batch.back().ticket;
      group_leader_ = false;
      group_cv_.notify_all();
      continue;
    }
    group_cv_.wait(lock);
  }
}

}  // namespace idreg
