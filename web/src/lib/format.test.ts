import { describe, expect, it } from 'vitest';
import { agentState, callerLabel, clock, destinationLabel, humanSeconds, percent } from './format';

describe('format', () => {
  it('clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(7.9)).toBe('0:07');
    expect(clock(723)).toBe('12:03');
    expect(clock(3723)).toBe('1:02:03');
    expect(clock(-5)).toBe('0:00');
    expect(clock(NaN)).toBe('0:00');
  });

  it('humanSeconds', () => {
    expect(humanSeconds(45)).toBe('45 s');
    expect(humanSeconds(150)).toBe('2 min 30 s');
    expect(humanSeconds(3600)).toBe('1 h');
    expect(humanSeconds(3900)).toBe('1 h 5 min');
    expect(humanSeconds(86400)).toBe('1 d');
    expect(humanSeconds(null)).toBe('—');
  });

  it('percent', () => {
    expect(percent(1)).toBe('100%');
    expect(percent(0.8333)).toBe('83.3%');
    expect(percent(null)).toBe('—');
  });

  it('agent state: activity wins over presence', () => {
    expect(agentState({ presence: 'ready', activity: 'idle' })).toEqual({ key: 'ready', label: 'Ready' });
    expect(agentState({ presence: 'withdrawn', reason: 'lunch', activity: 'idle' })).toEqual({ key: 'withdrawn', label: 'Withdrawn: lunch' });
    expect(agentState({ presence: 'not available', activity: 'idle' }).key).toBe('unavailable');
    expect(agentState({ presence: 'ready', activity: 'ringing' }).key).toBe('ringing');
    expect(agentState({ presence: 'withdrawn', reason: 'x', activity: 'on call' }).label).toBe('On call');
    expect(agentState({ presence: 'ready', activity: 'wrap-up' }).key).toBe('wrapup');
  });

  it('labels', () => {
    expect(callerLabel('sip:bob@example.com')).toBe('bob@example.com');
    expect(callerLabel('+33123456789')).toBe('+33123456789');
    expect(callerLabel(undefined)).toBe('Unknown caller');
    expect(destinationLabel('queue:support')).toBe('Queue support');
    expect(destinationLabel('hangup')).toBe('Hang up');
  });
});
