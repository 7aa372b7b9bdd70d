// The PostgreSQL store is being written; until then a PostgreSQL URL is refused clearly.
#include "store/store.h"

namespace callq::store::internal {
Result<std::unique_ptr<Store>> openPostgres(const std::string& url) {
  return makeError(ErrorCode::kFailedPrecondition,
                   url + ": this build has no PostgreSQL store yet; use a SQLite file");
}
}  // namespace callq::store::internal
