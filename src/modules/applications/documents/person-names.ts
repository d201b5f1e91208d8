export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string | null;
}

/** «Петрова Мария Ивановна», the full name an application asks for. */
export const fullName = (p: PersonName): string => [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');

/** «Петрова М. И.», the «расшифровка подписи» under a signature. */
export const nameWithInitials = (p: PersonName): string =>
  [p.lastName, ...[p.firstName, p.middleName].filter((n): n is string => !!n).map((n) => `${n[0]}.`)].join(' ');

/**
 * The grammatical gender a Russian patronymic shows (-ич / -вна, -чна, -кызы, -оглы), or null when
 * there is none to go by: the form then keeps both endings, «проживающего(ей)», as the paper one does.
 */
export function genderFromPatronymic(p: PersonName): 'masculine' | 'feminine' | null {
  const patronymic = p.middleName?.trim().toLowerCase() ?? '';
  if (/(ич|оглы|улы)$/.test(patronymic)) return 'masculine';
  if (/(на|кызы|гызы)$/.test(patronymic)) return 'feminine';
  return null;
}
