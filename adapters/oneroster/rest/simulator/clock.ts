/** The simulator's own time: it stamps every change, so tests decide exactly what a delta sync should see. */
export interface SimulatorClock {
  now(): Date;
  advance(ms: number): void;
}

export const CLOCK_START = '2026-11-01T00:00:00Z';

export function createClock(start: string = CLOCK_START): SimulatorClock {
  let current = Date.parse(start);
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock only moves forward, got ${ms} ms`);
      current += ms;
    },
  };
}
