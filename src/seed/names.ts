import type { Random } from './random';

/**
 * Russian names for the generated people: фамилия, имя, отчество with the right male and female forms.
 * Kogalym is multinational (oil-industry migration from all of Russia), so a family's names come from
 * one of three pools, in roughly the city's proportions.
 */

export type Gender = 'male' | 'female';
type Pool = 'russian' | 'tatar' | 'caucasian';
type Generation = 'child' | 'adult' | 'elder';

export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string;
}

const POOL_WEIGHTS: readonly (readonly [Pool, number])[] = [['russian', 80], ['tatar', 14], ['caucasian', 6]];

/** Male surname forms; female forms are derived (Иванов → Иванова, Островский → Островская, Шевченко stays). */
const SURNAMES: Record<Pool, readonly string[]> = {
  russian: [
    'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров',
    'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев',
    'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев',
    'Романов', 'Воробьёв', 'Сергеев', 'Кузьмин', 'Фролов', 'Александров', 'Дмитриев', 'Королёв', 'Гусев', 'Киселёв',
    'Ильин', 'Максимов', 'Поляков', 'Сорокин', 'Виноградов', 'Ковалёв', 'Белов', 'Медведев', 'Антонов', 'Тарасов',
    'Жуков', 'Баранов', 'Филиппов', 'Комаров', 'Давыдов', 'Беляев', 'Герасимов', 'Богданов', 'Осипов', 'Сидоров',
    'Матвеев', 'Титов', 'Марков', 'Миронов', 'Крылов', 'Куликов', 'Карпов', 'Власов', 'Мельников', 'Денисов',
    'Гаврилов', 'Тихонов', 'Казаков', 'Афанасьев', 'Данилов', 'Савельев', 'Тимофеев', 'Фомин', 'Чернов', 'Абрамов',
    'Мартынов', 'Ефимов', 'Федотов', 'Щербаков', 'Назаров', 'Калинин', 'Исаев', 'Чернышёв', 'Быков', 'Маслов',
    'Родионов', 'Коновалов', 'Лазарев', 'Воронин', 'Климов', 'Филатов', 'Пономарёв', 'Голубев', 'Кудрявцев', 'Прохоров',
    'Наумов', 'Потапов', 'Журавлёв', 'Овчинников', 'Трофимов', 'Леонов', 'Соболев', 'Ермаков', 'Колесников', 'Гончаров',
    'Емельянов', 'Никифоров', 'Грачёв', 'Котов', 'Гришин', 'Ефремов', 'Архипов', 'Громов', 'Кириллов', 'Малышев',
    'Панов', 'Моисеев', 'Румянцев', 'Акимов', 'Кондратьев', 'Бирюков', 'Горбунов', 'Анисимов', 'Ерёмин', 'Галкин',
    'Лукьянов', 'Михеев', 'Скворцов', 'Юдин', 'Белоусов', 'Нестеров', 'Симонов', 'Харитонов', 'Князев', 'Цветков',
    'Мальцев', 'Логинов', 'Горшков', 'Савин', 'Краснов', 'Майоров', 'Демидов', 'Елисеев', 'Рыбаков', 'Сафонов',
    'Успенский', 'Покровский', 'Вишневский', 'Островский', 'Каменский', 'Яблонский', 'Шевченко', 'Бондаренко',
    'Коваленко', 'Ткаченко', 'Кравченко', 'Олейник', 'Ковальчук', 'Мельничук', 'Ткачук', 'Савчук', 'Лысенко',
    'Марченко', 'Петренко', 'Руденко', 'Гайдук', 'Полищук', 'Белых', 'Седых', 'Черных', 'Долгих',
  ],
  tatar: [
    'Хабибуллин', 'Гарипов', 'Сафин', 'Галиев', 'Нуриев', 'Ахметов', 'Шарипов', 'Закиров', 'Валиев', 'Хайруллин',
    'Гилязов', 'Мухаметов', 'Файзуллин', 'Садыков', 'Абдуллин', 'Исмагилов', 'Латыпов', 'Юсупов', 'Шакиров',
    'Низамов', 'Яруллин', 'Каримов', 'Рахимов', 'Зарипов', 'Габдуллин', 'Мингазов', 'Батыршин', 'Гайнуллин',
  ],
  caucasian: [
    'Алиев', 'Мамедов', 'Гусейнов', 'Гасанов', 'Исмаилов', 'Магомедов', 'Рагимов', 'Абдуллаев', 'Керимов', 'Бабаев',
    'Джафаров', 'Султанов', 'Агаев', 'Османов', 'Гаджиев', 'Ибрагимов',
  ],
};

const FIRST_NAMES: Record<Generation, Record<Pool, Record<Gender, readonly string[]>>> = {
  child: {
    russian: {
      male: [
        'Александр', 'Максим', 'Артём', 'Михаил', 'Даниил', 'Иван', 'Дмитрий', 'Кирилл', 'Андрей', 'Егор', 'Никита',
        'Илья', 'Алексей', 'Матвей', 'Тимофей', 'Роман', 'Владимир', 'Ярослав', 'Фёдор', 'Георгий', 'Константин',
        'Лев', 'Марк', 'Степан', 'Глеб', 'Сергей', 'Арсений', 'Денис', 'Семён', 'Макар', 'Богдан', 'Савелий', 'Платон',
        'Евгений', 'Павел', 'Захар', 'Вадим',
      ],
      female: [
        'Анастасия', 'Мария', 'Анна', 'Виктория', 'Екатерина', 'Софья', 'Дарья', 'Алиса', 'Полина', 'Елизавета',
        'Александра', 'Ксения', 'Варвара', 'Вероника', 'Арина', 'Василиса', 'Валерия', 'Милана', 'Ульяна', 'Ева', 'Кира',
        'Алёна', 'Таисия', 'Злата', 'Маргарита', 'Диана', 'Есения', 'Вера', 'Мирослава', 'Юлия', 'Ангелина', 'Яна',
      ],
    },
    tatar: {
      male: ['Тимур', 'Рустам', 'Артур', 'Камиль', 'Эмиль', 'Амир', 'Карим', 'Булат', 'Айдар', 'Данияр', 'Рамиль', 'Ильнур', 'Салават', 'Марсель'],
      female: ['Амина', 'Алина', 'Диляра', 'Камила', 'Аделина', 'Ралина', 'Эмилия', 'Самира', 'Алсу', 'Лейсан', 'Регина', 'Эльвина', 'Зарина', 'Аиша'],
    },
    caucasian: {
      male: ['Эльдар', 'Рашад', 'Фарид', 'Эмин', 'Орхан', 'Мурад', 'Руслан', 'Самир', 'Расул', 'Ибрагим', 'Магомед'],
      female: ['Айсель', 'Лейла', 'Сабина', 'Айдан', 'Фатима', 'Мадина', 'Аминат', 'Нармин', 'Марьям'],
    },
  },
  adult: {
    russian: {
      male: [
        'Александр', 'Сергей', 'Андрей', 'Дмитрий', 'Алексей', 'Евгений', 'Денис', 'Роман', 'Максим', 'Владимир',
        'Николай', 'Игорь', 'Олег', 'Михаил', 'Иван', 'Артём', 'Павел', 'Виктор', 'Юрий', 'Вадим', 'Антон',
        'Константин', 'Виталий', 'Вячеслав', 'Станислав', 'Илья', 'Кирилл', 'Василий', 'Эдуард', 'Никита', 'Григорий', 'Пётр',
      ],
      female: [
        'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Анна', 'Екатерина', 'Юлия', 'Светлана', 'Ирина', 'Мария', 'Анастасия',
        'Оксана', 'Марина', 'Евгения', 'Алёна', 'Виктория', 'Надежда', 'Ксения', 'Людмила', 'Кристина', 'Дарья',
        'Валентина', 'Александра', 'Вера', 'Яна', 'Олеся', 'Галина', 'Любовь', 'Лариса', 'Инна',
      ],
    },
    tatar: {
      male: ['Рустам', 'Ринат', 'Айдар', 'Марат', 'Ильдар', 'Радик', 'Азат', 'Ильнур', 'Рамиль', 'Тимур', 'Артур', 'Фанис', 'Альберт'],
      female: ['Гульнара', 'Альбина', 'Лилия', 'Эльвира', 'Гузель', 'Регина', 'Алсу', 'Лейсан', 'Римма', 'Зульфия', 'Резеда', 'Алия', 'Венера'],
    },
    caucasian: {
      male: ['Эльдар', 'Рашид', 'Вугар', 'Фарид', 'Эльчин', 'Магомед', 'Рамазан', 'Ильгар', 'Заур', 'Руслан', 'Шамиль'],
      female: ['Севиндж', 'Гюльнара', 'Айгюн', 'Лейла', 'Сабина', 'Фатима', 'Патимат', 'Зарема', 'Эльмира', 'Наргиз'],
    },
  },
  elder: {
    russian: {
      male: [
        'Владимир', 'Николай', 'Александр', 'Сергей', 'Виктор', 'Анатолий', 'Юрий', 'Валерий', 'Геннадий', 'Михаил',
        'Иван', 'Пётр', 'Василий', 'Борис', 'Евгений', 'Игорь', 'Олег', 'Леонид', 'Фёдор', 'Григорий', 'Алексей',
        'Вячеслав', 'Павел', 'Дмитрий', 'Андрей', 'Валентин', 'Степан', 'Аркадий',
      ],
      female: [
        'Галина', 'Валентина', 'Людмила', 'Нина', 'Тамара', 'Надежда', 'Любовь', 'Светлана', 'Татьяна', 'Ольга',
        'Зинаида', 'Раиса', 'Лидия', 'Вера', 'Антонина', 'Елена',
      ],
    },
    tatar: {
      male: ['Ринат', 'Рашит', 'Фарит', 'Марат', 'Ильдус', 'Рафаэль', 'Наиль', 'Рифкат', 'Ахмет', 'Мансур'],
      female: ['Флюра', 'Розалия', 'Гульшат', 'Зульфия', 'Альфия', 'Фарида', 'Разиля'],
    },
    caucasian: {
      male: ['Ахмед', 'Гусейн', 'Али', 'Магомед', 'Рашид', 'Ибрагим', 'Мамед', 'Садых'],
      female: ['Сона', 'Зулейха', 'Гюльшан', 'Хадижат', 'Аминат'],
    },
  },
};

/** Patronymics that the regular rules below get wrong. */
const IRREGULAR_PATRONYMICS: Record<string, Record<Gender, string>> = {
  'Илья': { male: 'Ильич', female: 'Ильинична' },
  'Никита': { male: 'Никитич', female: 'Никитична' },
  'Лев': { male: 'Львович', female: 'Львовна' },
  'Павел': { male: 'Павлович', female: 'Павловна' },
  'Пётр': { male: 'Петрович', female: 'Петровна' },
  'Дмитрий': { male: 'Дмитриевич', female: 'Дмитриевна' },
  'Михаил': { male: 'Михайлович', female: 'Михайловна' },
  'Али': { male: 'Алиевич', female: 'Алиевна' },
};

export function patronymic(fatherName: string, gender: Gender): string {
  const irregular = IRREGULAR_PATRONYMICS[fatherName];
  if (irregular) return irregular[gender];
  const [male, female] = fatherName.endsWith('ий') ? [`${fatherName.slice(0, -2)}ьевич`, `${fatherName.slice(0, -2)}ьевна`]
    : /[йь]$/.test(fatherName) ? [`${fatherName.slice(0, -1)}евич`, `${fatherName.slice(0, -1)}евна`]
    : [`${fatherName}ович`, `${fatherName}овна`];
  return gender === 'male' ? male : female;
}

export function surnameFor(maleForm: string, gender: Gender): string {
  if (gender === 'male') return maleForm;
  if (/(ов|ев|ёв|ин|ын)$/.test(maleForm)) return `${maleForm}а`;
  if (/[сц]кий$/.test(maleForm)) return `${maleForm.slice(0, -2)}ая`;
  return maleForm;
}

/** A family: the children's surname and patronymic come from it, and so do the guardians. */
export interface Family {
  pool: Pool;
  surname: string;
  father: PersonName;
  mother: PersonName;
}

export function newFamily(random: Random): Family {
  const pool = random.weighted(POOL_WEIGHTS);
  const surname = random.pick(SURNAMES[pool]);
  // A mother keeps her own surname now and then (or it changed with a new marriage).
  const motherSurname = random.chance(0.1) ? random.pick(SURNAMES[random.weighted(POOL_WEIGHTS)]) : surname;
  return {
    pool,
    surname,
    father: adultName(random, pool, 'male', surname),
    mother: adultName(random, pool, 'female', motherSurname),
  };
}

export function childOf(random: Random, family: Family, gender: Gender): PersonName {
  return {
    lastName: surnameFor(family.surname, gender),
    firstName: random.pick(FIRST_NAMES.child[family.pool][gender]),
    middleName: patronymic(family.father.firstName, gender),
  };
}

/** A grandmother who became a child's legal guardian: the family's surname, an older name. */
export function grandmotherOf(random: Random, family: Family): PersonName {
  return {
    lastName: surnameFor(family.surname, 'female'),
    firstName: random.pick(FIRST_NAMES.elder[family.pool].female),
    middleName: patronymic(random.pick(FIRST_NAMES.elder[family.pool].male), 'female'),
  };
}

/** A grown-up of any family (a teacher, a director), from the city's mix of pools. */
export function randomAdult(random: Random, gender: Gender): PersonName {
  const pool = random.weighted(POOL_WEIGHTS);
  return adultName(random, pool, gender, random.pick(SURNAMES[pool]));
}

function adultName(random: Random, pool: Pool, gender: Gender, maleSurname: string): PersonName {
  return {
    lastName: surnameFor(maleSurname, gender),
    firstName: random.pick(FIRST_NAMES.adult[pool][gender]),
    middleName: patronymic(random.pick(FIRST_NAMES.elder[pool].male), gender),
  };
}

/** A Russian mobile number as stored: E.164, «+7 9xx …» without spaces. */
export function mobilePhone(random: Random): string {
  return `+7${random.pick(['902', '904', '908', '912', '922', '932', '950', '951', '952', '982', '992', '996', '999'])}${random.digits(7)}`;
}

const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

export function transliterate(text: string): string {
  return [...text.toLowerCase()].map((c) => LATIN[c] ?? c).join('');
}

/** A parent's private e-mail address; about half of the parents give one. */
export function personalEmail(random: Random, name: PersonName): string {
  const domain = random.pick(['mail.ru', 'yandex.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'gmail.com']);
  return `${transliterate(name.firstName)}.${transliterate(name.lastName)}${random.int(78, 96)}@${domain}`;
}
