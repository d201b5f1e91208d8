/**
 * A Russian phone number in the form +7XXXXXXXXXX, from the ways people write it ("8 (912) 345-67-89",
 * "+7 912 3456789"), or null when it is not one.
 */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s()\-.]/g, '');
  const match = /^(?:\+7|8|7)(\d{10})$/.exec(digits);
  return match ? `+7${match[1]}` : null;
}

/** A plausible e-mail address (one @, a dot in the domain, no spaces); the mail server decides the rest. */
export function isEmail(raw: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) && raw.length <= 254;
}
