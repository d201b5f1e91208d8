// Small measuring helpers shared by the figures.

export const now = () => performance.now();

/** The p-th percentile (0–100) of the values, nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);

export function latencySummary(values) {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), count: values.length };
}

/** Runs fn `times` times in a row and returns each duration in ms (after `warmup` untimed runs). */
export async function timeEach(fn, { times, warmup = 0 }) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const durations = [];
  for (let i = 0; i < times; i++) {
    const started = now();
    await fn(i);
    durations.push(now() - started);
  }
  return durations;
}

/**
 * A closed loop of `concurrency` workers calling fn for `seconds` (after `warmupSeconds`, then
 * `afterWarmup()`): the in-process counterpart of autocannon, for baselines that do not go over HTTP.
 */
export async function closedLoop(fn, { concurrency, seconds, warmupSeconds = 1, afterWarmup = () => undefined }) {
  const run = async (duration, record) => {
    const until = now() + duration * 1000;
    const latencies = [];
    let errors = 0;
    await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; now() < until; i++) {
        const started = now();
        try {
          await fn(worker, i);
          if (record) latencies.push(now() - started);
        } catch (error) {
          errors++;
          if (errors === 1) process.stderr.write(`  baseline error: ${error.message}\n`);
        }
      }
    }));
    return { latencies, errors };
  };
  await run(warmupSeconds, false);
  afterWarmup();
  const started = now();
  const { latencies, errors } = await run(seconds, true);
  const elapsed = (now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, requests: latencies.length, errors, ...latencySummary(latencies) };
}

/**
 * An open loop at a fixed rate (the way wrk2 measures latency at a given load): request k is due at
 * k / rate seconds, whether or not earlier ones have answered, and its latency counts from when it was
 * due, so that a server which falls behind is charged for the queue it built (no coordinated omission).
 * Requests are spread evenly, not sent in bursts at the start of each second.
 */
export async function pacedLoop(fn, { rate, seconds, warmupSeconds = 1 }) {
  const run = (duration, record) => new Promise((resolve) => {
    const started = now();
    const total = Math.floor(duration * rate);
    const latencies = [];
    let sent = 0;
    let settled = 0;
    let errors = 0;
    let firstError = null;
    const dueAt = (k) => started + (k * 1000) / rate;
    if (total === 0) return resolve({ latencies, errors, firstError, elapsed: 0 });
    const fire = () => {
      while (sent < total && dueAt(sent) <= now()) {
        const due = dueAt(sent);
        fn(sent++).then(
          () => { if (record) latencies.push(now() - due); },
          (error) => { errors++; firstError ??= error.message; },
        ).finally(() => { if (++settled === total) resolve({ latencies, errors, firstError, elapsed: (now() - started) / 1000 }); });
      }
      if (sent < total) setTimeout(fire, Math.max(0, dueAt(sent) - now()));
    };
    fire();
  });
  await run(warmupSeconds, false);
  const { latencies, errors, firstError, elapsed } = await run(seconds, true);
  return { perSecond: latencies.length / elapsed, errors, firstError, ...latencySummary(latencies) };
}

/** Milliseconds as seconds with one decimal, for progress lines. */
export const secondsText = (ms) => `${(ms / 1000).toFixed(1)} s`;
