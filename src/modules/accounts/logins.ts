const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/** Russian to Latin as in passports (ICAO Doc 9303), so a login reads like the holder's name. */
export function transliterate(text: string): string {
  return [...text.toLowerCase()].map((c) => CYRILLIC[c] ?? c).join('').replace(/[^a-z0-9]/g, '');
}

/** "Иванова Анна Петровна" → "ivanova.ap"; the caller adds a number when the login is taken. */
export function loginBase(person: { lastName: string; firstName: string; middleName: string | null }): string {
  const initials = [person.firstName, person.middleName ?? ''].map((n) => transliterate(n).slice(0, 1)).join('');
  const base = `${transliterate(person.lastName).slice(0, 40) || 'user'}.${initials || 'x'}`;
  return base.length >= 3 ? base : `${base}00`;
}
