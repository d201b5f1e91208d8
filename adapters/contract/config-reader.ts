import type { AdapterConfig, ConfigField } from './adapter';

/**
 * Reads an adapter's configuration field by field and collects what is wrong, each problem naming the
 * field as the form shows it («Адрес сервера» (serverUrl) …), so that check() can say all at once.
 */
export class ConfigReader {
  readonly problems: string[] = [];
  private readonly labels: Map<string, string>;

  constructor(private readonly config: AdapterConfig, fields: readonly ConfigField[]) {
    this.labels = new Map(fields.map((f) => [f.name, f.label]));
  }

  /** A field as problems name it: «label» (name). */
  name(field: string): string {
    return `«${this.labels.get(field) ?? field}» (${field})`;
  }

  /** Notes a problem with a field: `what` follows its name. */
  problem(field: string, what: string): void {
    this.problems.push(`${this.name(field)} ${what}`);
  }

  /** The field as trimmed text; '' when it is not set. */
  value(field: string): string {
    const v = this.config[field];
    return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
  }

  required(field: string): string {
    const v = this.value(field);
    if (v === '') this.problem(field, 'is not filled in.');
    return v;
  }

  /** A number from `min` to `max`; `fallback` when the field is not set. */
  number(field: string, fallback: number, min: number, max: number): number {
    const v = this.value(field);
    if (v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problem(field, `must be a number from ${min} to ${max}, not "${v}".`);
      return fallback;
    }
    return n;
  }

  /** An http(s) address (`fallback` when not set, else required); null when it is not one. */
  url(field: string, fallback?: string): URL | null {
    const v = fallback === undefined ? this.required(field) : this.value(field) || fallback;
    if (v === '') return null;
    try {
      const url = new URL(v);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url;
    } catch {
      // Reported below, as an address that is not http(s).
    }
    this.problem(field, `"${v}" is not an http(s) address.`);
    return null;
  }
}
