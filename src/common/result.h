// Result<T>: the value-or-error type every layer returns for expected failures.
//
// Wraps tl::expected (Debian 12's g++ 12 has no std::expected). Only the subset of the API that
// std::expected also has is used, so the switch later is one line here.
#pragma once

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace callq {

enum class ErrorCode {
  kInvalidArgument,     // the input is malformed or out of range
  kNotFound,            // a named queue, agent or call does not exist
  kAlreadyExists,       // a duplicate id, name or extension
  kFailedPrecondition,  // valid input, but not in the current state (answer for a call not ringing)
  kIo,                  // a file or socket failed
  kInternal,            // a bug: an invariant did not hold (reported, never ignored)
};

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> makeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace callq
