// The three assert levels of STYLE.md.
//   CALLQ_DCHECK(cond): debug-only invariant.
//   CALLQ_CHECK(cond): always on; "cannot continue" -> abort with a message.
// The third level ("bug": log and count, fatal only in debug) lives with the logger outside the
// core; the core reports such conditions as values instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#define CALLQ_CHECK(cond)                                                           \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

#ifdef NDEBUG
#define CALLQ_DCHECK(cond) \
  do {                     \
  } while (false && (cond))
#else
#define CALLQ_DCHECK(cond) CALLQ_CHECK(cond)
#endif
