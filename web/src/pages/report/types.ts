// What the report page loaded, shared by its parts.

import type { AgentStatsRow, EventRow, QueueStatsRow } from '../../lib/api';
import type { Interval } from '../../lib/report';

/** Events asked per page (GET /api/v1/events limit). */
export const PAGE = 500;

export interface ReportData {
  events: EventRow[];
  nextAfter: number | null;
  queueRows: QueueStatsRow[] | null; // per interval
  queueTotals: QueueStatsRow[] | null;
  agentRows: AgentStatsRow[] | null; // per interval
  agentTotals: AgentStatsRow[];
  interval: Interval;
  bounds: { from: number; to: number } | null;
  madeAt: number;
}
