// How CLI commands reach the store: the store URL and master key from flags or environment,
// and the Actor every store operation needs.
#ifndef IDREG_SRC_CLI_STORE_ACCESS_H_
#define IDREG_SRC_CLI_STORE_ACCESS_H_

#include <memory>
#include <string>

#include "cli/cli.h"
#include "idreg/registry/store.h"

namespace idreg::cli {

// The key file: --key-file / $IDREG_KEY_FILE, else "<sqlite path>.key" beside the store.
Result<std::string> KeyFilePath(const Context& ctx);

// The master key from $IDREG_MASTER_KEY (base64) when set, else from the key file.
Result<std::shared_ptr<const MasterKey>> LoadMasterKey(const Context& ctx);

// Opens the existing store named by ctx.store_url.
Result<std::unique_ptr<Store>> OpenStore(const Context& ctx);

Actor MakeActor(const Context& ctx, std::string purpose);

}  // namespace idreg::cli

#endif  // IDREG_SRC_CLI_STORE_ACCESS_H_
