import { describe, expect, it } from 'vitest';
import { csvField, eventsCsv, seconds3 } from './csv';

describe('csv', () => {
  it('formats milliseconds as the server does', () => {
    expect(seconds3(12345)).toBe('12.345');
    expect(seconds3(3000)).toBe('3.000');
    expect(seconds3(7)).toBe('0.007');
    expect(seconds3(-500)).toBe('-0.500');
    expect(seconds3(0)).toBe('0.000');
  });

  it('quotes only fields that need it', () => {
    expect(csvField('lunch')).toBe('lunch');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
  });

  it('writes the columns of events.csv, CRLF, durations where the event has them', () => {
    const csv = eventsCsv([
      { id: 1, time_ms: 0, time: '2026-11-21T20:48:58.398+00:00', event: 'ENTERQUEUE', call: 1, queue: 'sales', position: 1, original_position: 1, reason: '+33123456789' },
      { id: 2, time_ms: 0, time: '2026-11-21T20:49:01.403+00:00', event: 'CONNECT', call: 1, queue: 'sales', agent: 'alice', position: 1, original_position: 1, wait_ms: 3005, ring_ms: 3005 },
      { id: 3, time_ms: 0, time: '2026-11-21T20:49:05.404+00:00', event: 'COMPLETEAGENT', call: 1, queue: 'sales', agent: 'alice', original_position: 1, wait_ms: 3005, talk_ms: 0 },
      { id: 4, time_ms: 0, time: '2026-11-21T21:00:00.000+00:00', event: 'PAUSE', agent: 'bob', reason: 'back, office' },
    ]);
    expect(csv).toBe(
      'id,time,event,call,queue,agent,position,original_position,wait_s,talk_s,ring_s,key,reason\r\n' +
      '1,2026-11-21T20:48:58.398+00:00,ENTERQUEUE,1,sales,,1,1,,,,,+33123456789\r\n' +
      '2,2026-11-21T20:49:01.403+00:00,CONNECT,1,sales,alice,1,1,3.005,,3.005,,\r\n' +
      '3,2026-11-21T20:49:05.404+00:00,COMPLETEAGENT,1,sales,alice,,1,3.005,0.000,,,\r\n' +
      '4,2026-11-21T21:00:00.000+00:00,PAUSE,,,bob,,,,,,,"back, office"\r\n',
    );
  });

  it('writes only the header for no events', () => {
    expect(eventsCsv([])).toBe('id,time,event,call,queue,agent,position,original_position,wait_s,talk_s,ring_s,key,reason\r\n');
  });
});
