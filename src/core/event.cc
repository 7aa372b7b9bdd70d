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
  // One table decides what ends a visit: visitStep's.
  switch (visitStep(type)) {
    case VisitStep::kRefused:
    case VisitStep::kAbandoned:
    case VisitStep::kExited:
    case VisitStep::kHandled:
    case VisitStep::kClosedAtRestart:
      return true;
    case VisitStep::kNone:
    case VisitStep::kEntered:
    case VisitStep::kAnswered:
      return false;
  }
  return false;
}

VisitStep visitStep(EventType type) {
  switch (type) {
    case EventType::kEnterQueue:
      return VisitStep::kEntered;
    case EventType::kJoinRefused:
      return VisitStep::kRefused;
    case EventType::kConnect:
      return VisitStep::kAnswered;
    case EventType::kAbandon:
      return VisitStep::kAbandoned;
    case EventType::kExitEmpty:
    case EventType::kExitWithTimeout:
    case EventType::kExitWithKey:
      return VisitStep::kExited;
    case EventType::kCompleteAgent:
    case EventType::kCompleteCaller:
    case EventType::kBlindTransfer:
    case EventType::kAttendedTransfer:
      return VisitStep::kHandled;
    case EventType::kServerRestart:
      return VisitStep::kClosedAtRestart;
    case EventType::kRingNoAnswer:
    case EventType::kRingCanceled:
    case EventType::kAddMember:
    case EventType::kRemoveMember:
    case EventType::kPause:
    case EventType::kUnpause:
    case EventType::kUnavailable:
      break;
  }
  return VisitStep::kNone;
}

std::optional<EventType> parseEventType(std::string_view name) {
  for (std::size_t t = 0; t < kEventTypeCount; ++t) {
    if (eventName(static_cast<EventType>(t)) == name) {
      return static_cast<EventType>(t);
    }
  }
  return std::nullopt;
}

EventDurations eventDurations(EventType type) {
  using T = EventType;
  switch (type) {
    case T::kConnect:
      return {true, false, true};
    case T::kRingNoAnswer:
    case T::kRingCanceled:
      return {false, false, true};
    case T::kCompleteAgent:
    case T::kCompleteCaller:
    case T::kBlindTransfer:
    case T::kAttendedTransfer:
      return {true, true, false};
    case T::kAbandon:
    case T::kExitEmpty:
    case T::kExitWithTimeout:
    case T::kExitWithKey:
    case T::kServerRestart:
      return {true, false, false};
    case T::kEnterQueue:
    case T::kJoinRefused:
    case T::kAddMember:
    case T::kRemoveMember:
    case T::kPause:
    case T::kUnpause:
    case T::kUnavailable:
      return {};
  }
  return {};
}

bool changesDurableState(EventType type) {
  using T = EventType;
  switch (type) {
    case T::kConnect:        // calls in the window
    case T::kCompleteAgent:  // talk in the window, last call end
    case T::kCompleteCaller:
    case T::kBlindTransfer:
    case T::kAttendedTransfer:
    case T::kAddMember:  // logins
    case T::kRemoveMember:
    case T::kPause:  // presence and reason
    case T::kUnpause:
    case T::kUnavailable:
      return true;
    case T::kEnterQueue:
    case T::kAbandon:
    case T::kExitEmpty:
    case T::kExitWithTimeout:
    case T::kExitWithKey:
    case T::kJoinRefused:
    case T::kRingNoAnswer:  // a withdrawal for no answers comes as its own PAUSE
    case T::kRingCanceled:
    case T::kServerRestart:
      return false;
  }
  return false;
}

}  // namespace callq::core
