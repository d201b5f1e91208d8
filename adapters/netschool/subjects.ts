/**
 * NetSchool servers name subjects as each school typed them («Физика профиль», «ИЗО», «Иностранный
 * язык (английский)»). The hub's courses take the municipality's names; the vendor's name is kept
 * beside it. Names already on the list pass through; these are the usual others.
 */
const ALIASES: Record<string, string> = {
  'иностранный язык (английский)': 'Английский язык',
  'иностранный язык (английский язык)': 'Английский язык',
  'английский': 'Английский язык',
  'иностранный язык (немецкий)': 'Немецкий язык',
  'иностранный язык (немецкий язык)': 'Немецкий язык',
  'немецкий': 'Немецкий язык',
  'изо': 'Изобразительное искусство',
  'физкультура': 'Физическая культура',
  'обж': 'Основы безопасности и защиты Родины',
  'основы безопасности жизнедеятельности': 'Основы безопасности и защиты Родины',
  'информатика и икт': 'Информатика',
  'алгебра и начала анализа': 'Алгебра',
  'алгебра и начала математического анализа': 'Алгебра',
  'технология': 'Труд (технология)',
  'труд': 'Труд (технология)',
  'орксэ': 'Основы религиозных культур и светской этики',
  'однкнр': 'Основы духовно-нравственной культуры народов России',
  'родной язык (русский)': 'Родной язык',
  'родной русский язык': 'Родной язык',
  'теория вероятностей и статистика': 'Вероятность и статистика',
};

/** Level words schools append to a subject («Физика профиль», «Обществознание базовый», «Химия (углублённый уровень)»). */
const LEVEL = /\s*(\(\s*)?(профиль|профильный|профильный уровень|базовый|базовый уровень|углубл[её]нный|углубл[её]нный уровень|углубл[её]нное изучение)(\s*\))?\s*$/i;

export const subjectKey = (name: string) => name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

/** Reads «Vendor name = Municipality name; …» (one pair per line or separated by «;»). */
export function parseSubjectMap(text: string): { map: Map<string, string>; problems: string[] } {
  const map = new Map<string, string>();
  const problems: string[] = [];
  for (const pair of text.split(/[;\n]/).map((p) => p.trim()).filter(Boolean)) {
    const [vendor, municipal, ...extra] = pair.split('=').map((p) => p.trim());
    if (!vendor || !municipal || extra.length) problems.push(`"${pair}" is not «название в NetSchool = название в справочнике»`);
    else map.set(subjectKey(vendor), municipal);
  }
  return { map, problems };
}

/** The municipality's name for a vendor subject name: the school's own mapping first, then the usual aliases, then the name without a level word. */
export function municipalSubject(vendorName: string, own: Map<string, string>): string {
  const key = subjectKey(vendorName);
  const plain = key.replace(LEVEL, '').trim();
  const mapped = own.get(key) ?? ALIASES[key] ?? own.get(plain) ?? ALIASES[plain];
  if (mapped) return mapped;
  // Only the level word gone: «Физика профиль» is «Физика»; the engine checks the name against the list.
  return plain === key ? vendorName.trim() : vendorName.trim().replace(LEVEL, '').trim();
}
