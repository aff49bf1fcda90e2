// The store's relational schema, as an ordered list of migrations. Written in the SQL subset
// SQLite and PostgreSQL share (TEXT, INTEGER, REAL, BLOB -> BYTEA is the one substitution), so a
// second backend replays the same steps. Version N is the state after migration N.
#ifndef IDREG_SRC_REGISTRY_SCHEMA_H_
#define IDREG_SRC_REGISTRY_SCHEMA_H_

#include <string>
#include <vector>

namespace idreg::schema {

// Each migration is a list of statements, applied in one transaction with the version bump.
const std::vector<std::vector<std::string>>& Migrations();

inline int LatestVersion() { return static_cast<int>(Migrations().size()); }

}  // namespace idreg::schema

#endif  // IDREG_SRC_REGISTRY_SCHEMA_H_
