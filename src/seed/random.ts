/**
 * A small seeded pseudo-random generator (sfc32, seeded through the cyrb128 string hash), so that the
 * same seed gives the same municipality, ids included. Math.random and crypto.randomUUID cannot be seeded.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(private readonly key: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(key);
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** An independent stream for one concern (roster, timetable, journal): it does not shift when another changes. */
  fork(label: string | number): Random {
    return new Random(`${this.key}/${label}`);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks from [item, weight] pairs; the weights need not sum to 1. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let r = this.next() * total;
    for (const [item, weight] of entries) {
      r -= weight;
      if (r < 0) return item;
    }
    return entries[entries.length - 1][0];
  }

  normal(mean = 0, deviation = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += this.int(0, 9);
    return s;
  }
}

function cyrb128(key: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** The synthetic clock of generated ids starts when the year was set up in the hub. */
const ID_CLOCK_START_MS = Date.UTC(2026, 7, 25, 4, 0, 0);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Reproducible UUIDs in the UUIDv7 layout: a 48-bit millisecond clock (synthetic, one tick per id)
 * followed by random bits from the seeded stream. Ids made later sort later, so bulk inserts append
 * to the primary-key indexes instead of scattering over them.
 */
export class IdFactory {
  private tick = 0;

  constructor(private readonly random: Random) {}

  next(): string {
    const ms = ID_CLOCK_START_MS + ++this.tick;
    const high = Math.floor(ms / 0x10000);
    const low = ms % 0x10000;
    const r1 = this.random.uint32();
    const r2 = this.random.uint32();
    const r3 = this.random.uint32();
    return (
      hex32(high) + '-' + HEX[low >>> 8] + HEX[low & 0xff] + '-' +
      HEX[0x70 | ((r1 >>> 24) & 0x0f)] + HEX[(r1 >>> 16) & 0xff] + '-' +
      HEX[0x80 | ((r1 >>> 8) & 0x3f)] + HEX[r1 & 0xff] + '-' + hex32(r2) + HEX[r3 >>> 24] + HEX[(r3 >>> 16) & 0xff]
    );
  }
}

function hex32(n: number): string {
  return HEX[n >>> 24] + HEX[(n >>> 16) & 0xff] + HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];
}

/**
 * A vendor-style numeric id for a generated row, stable for a given seed: the tick of its UUID
 * (unique within the school whose IdFactory made it).
 */
export function vendorIdOf(id: string): string {
  const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return String(1_000_000 + ms - ID_CLOCK_START_MS);
}
