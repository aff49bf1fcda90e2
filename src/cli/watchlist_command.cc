// `idreg watchlist add|remove|list`: named lists of persons a search can be restricted to.
#include <nlohmann/json.hpp>

#include "cli/identification_commands.h"
#include "cli/store_access.h"

namespace idreg::cli {
namespace {

struct WatchlistArgs {
  std::string name, profile, reason;
  bool json = false;
};

void Change(Context& ctx, const WatchlistArgs& args, bool add) {
  auto id = Id::Parse(args.profile);
  if (!id.ok()) return ctx.Fail(id.status().WithContext("profile id"));
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  const Actor actor = MakeActor(ctx, "watchlist_management");
  Status s = add ? (*store)->AddToWatchlist(args.name, *id, args.reason, actor)
                 : (*store)->RemoveFromWatchlist(args.name, *id, actor);
  if (!s.ok()) return ctx.Fail(s);
  *ctx.out << (add ? "added " : "removed ") << id->ToString() << (add ? " to " : " from ") << args.name << "\n";
}

void List(Context& ctx, const WatchlistArgs& args) {
  auto store = OpenStore(ctx);
  if (!store.ok()) return ctx.Fail(store.status());
  auto entries = (*store)->ListWatchlist(args.name, MakeActor(ctx, "watchlist_management"));
  if (!entries.ok()) return ctx.Fail(entries.status());
  if (args.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& e : *entries) {
      j.push_back({{"watchlist", e.watchlist}, {"profile", e.profile.ToString()}, {"reason", e.reason},
                   {"added_at", e.added_at}});
    }
    *ctx.out << j.dump(2) << "\n";
    return;
  }
  for (const auto& e : *entries) {
    *ctx.out << e.watchlist << "  " << e.profile.ToString() << "  " << e.added_at << "  " << e.reason << "\n";
  }
}

}  // namespace

void AddWatchlistCommands(CLI::App& app, Context& ctx) {
  auto* wl = app.add_subcommand("watchlist", "Named lists of persons to look out for");
  wl->require_subcommand(1);
  auto args = std::make_shared<WatchlistArgs>();
  auto* add = wl->add_subcommand("add", "Put a profile on a watchlist");
  add->add_option("name", args->name, "Watchlist name")->required();
  add->add_option("profile", args->profile, "Profile id")->required();
  add->add_option("--reason", args->reason, "Why (kept in the store, not in the audit log)");
  add->callback([&ctx, args] { Change(ctx, *args, true); });
  auto* remove = wl->add_subcommand("remove", "Take a profile off a watchlist");
  remove->add_option("name", args->name, "Watchlist name")->required();
  remove->add_option("profile", args->profile, "Profile id")->required();
  remove->callback([&ctx, args] { Change(ctx, *args, false); });
  auto* list = wl->add_subcommand("list", "Members of a watchlist (of every list without a name)");
  list->add_option("name", args->name, "Watchlist name");
  list->add_flag("--json", args->json, "Print JSON");
  list->callback([&ctx, args] { List(ctx, *args); });
}

}  // namespace idreg::cli
