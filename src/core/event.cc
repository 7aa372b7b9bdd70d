#include "core/event.h"

namespace callq::core {

std::string_view eventName(EventType type) {
  switch (type) {
    case EventType::kEnterQueue:
      return "ENTERQUEUE";
    case EventType::kConnect:
      return "CONNECT";
    case EventType::kAbandon:
      return "ABANDON";
    case EventType::kExitEmpty:
      return "EXITEMPTY";
    case EventType::kExitWithTimeout:
      return "EXITWITHTIMEOUT";
    case EventType::kExitWithKey:
      return "EXITWITHKEY";
    case EventType::kJoinRefused:
      return "JOINREFUSED";
    case EventType::kRingNoAnswer:
      return "RINGNOANSWER";
    case EventType::kRingCanceled:
      return "RINGCANCELED";
    case EventType::kCompleteAgent:
      return "COMPLETEAGENT";
    case EventType::kCompleteCaller:
      return "COMPLETECALLER";
    case EventType::kBlindTransfer:
      return "BLINDTRANSFER";
    case EventType::kAttendedTransfer:
      return "ATTENDEDTRANSFER";
    case EventType::kAddMember:
      return "ADDMEMBER";
    case EventType::kRemoveMember:
      return "REMOVEMEMBER";
    case EventType::kPause:
      return "PAUSE";
    case EventType::kUnpause:
      return "UNPAUSE";
    case EventType::kUnavailable:
      return "UNAVAILABLE";
    case EventType::kServerRestart:
      return "SERVERRESTART";
  }
  return "?";
}

bool isTerminal(EventType type) {
  switch (type) {
    case EventType::kAbandon:
    case EventType::kExitEmpty:
    case EventType::kExitWithTimeout:
    case EventType::kExitWithKey:
    case EventType::kJoinRefused:
    case EventType::kCompleteAgent:
    case EventType::kCompleteCaller:
    case EventType::kBlindTransfer:
    case EventType::kAttendedTransfer:
    case EventType::kServerRestart:
      return true;
    default:
      return false;
  }
}

}  // namespace callq::core
