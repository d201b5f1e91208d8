import { SeededRandom } from '../../../../simulator-kit/random';

export type Sex = 'male' | 'female';

export interface PersonName {
  familyName: string;
  givenName: string;
  middleName: string;
  sex: Sex;
}

/** [male form, female form]; -енко and -их names do not change, which trips naive gender rules. */
const FAMILY_NAMES: readonly [string, string][] = [
  ['Иванов', 'Иванова'], ['Смирнов', 'Смирнова'], ['Кузнецов', 'Кузнецова'], ['Попов', 'Попова'],
  ['Васильев', 'Васильева'], ['Петров', 'Петрова'], ['Соколов', 'Соколова'], ['Михайлов', 'Михайлова'],
  ['Новиков', 'Новикова'], ['Фёдоров', 'Фёдорова'], ['Морозов', 'Морозова'], ['Волков', 'Волкова'],
  ['Алексеев', 'Алексеева'], ['Лебедев', 'Лебедева'], ['Семёнов', 'Семёнова'], ['Егоров', 'Егорова'],
  ['Павлов', 'Павлова'], ['Козлов', 'Козлова'], ['Степанов', 'Степанова'], ['Николаев', 'Николаева'],
  ['Орлов', 'Орлова'], ['Макаров', 'Макарова'], ['Захаров', 'Захарова'], ['Соловьёв', 'Соловьёва'],
  ['Гарипов', 'Гарипова'], ['Хабибуллин', 'Хабибуллина'], ['Сафин', 'Сафина'], ['Галиев', 'Галиева'],
  ['Ткаченко', 'Ткаченко'], ['Коваленко', 'Коваленко'], ['Черных', 'Черных'], ['Седых', 'Седых'],
  ['Белоусов', 'Белоусова'], ['Яковлев', 'Яковлева'], ['Григорьев', 'Григорьева'], ['Романов', 'Романова'],
];

/** Fathers' (and male teachers') given names with the patronymics they give: [name, son's, daughter's]. */
const MEN: readonly [string, string, string][] = [
  ['Александр', 'Александрович', 'Александровна'], ['Сергей', 'Сергеевич', 'Сергеевна'],
  ['Андрей', 'Андреевич', 'Андреевна'], ['Дмитрий', 'Дмитриевич', 'Дмитриевна'],
  ['Алексей', 'Алексеевич', 'Алексеевна'], ['Максим', 'Максимович', 'Максимовна'],
  ['Иван', 'Иванович', 'Ивановна'], ['Михаил', 'Михайлович', 'Михайловна'],
  ['Евгений', 'Евгеньевич', 'Евгеньевна'], ['Владимир', 'Владимирович', 'Владимировна'],
  ['Николай', 'Николаевич', 'Николаевна'], ['Павел', 'Павлович', 'Павловна'],
  ['Роман', 'Романович', 'Романовна'], ['Олег', 'Олегович', 'Олеговна'],
  ['Игорь', 'Игоревич', 'Игоревна'], ['Тимур', 'Тимурович', 'Тимуровна'],
  ['Руслан', 'Русланович', 'Руслановна'], ['Ринат', 'Ринатович', 'Ринатовна'],
  ['Никита', 'Никитич', 'Никитична'], ['Илья', 'Ильич', 'Ильинична'],
];

const WOMEN = [
  'Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Светлана', 'Юлия', 'Екатерина',
  'Анна', 'Марина', 'Оксана', 'Людмила', 'Гульнара', 'Эльвира', 'Алсу', 'Лилия',
];

const BOYS = [
  'Артём', 'Максим', 'Александр', 'Михаил', 'Иван', 'Даниил', 'Кирилл', 'Егор', 'Матвей', 'Тимофей',
  'Никита', 'Илья', 'Марк', 'Лев', 'Роман', 'Тимур', 'Арсений', 'Глеб', 'Фёдор', 'Дмитрий',
];

const GIRLS = [
  'Софья', 'Анастасия', 'Мария', 'Дарья', 'Анна', 'Виктория', 'Полина', 'Алиса', 'Ксения', 'Варвара',
  'Вероника', 'Милана', 'Ева', 'Арина', 'Екатерина', 'Алина', 'Василиса', 'Елизавета', 'Злата', 'Амина',
];

export const BIRTH_CITIES = ['Когалым', 'Когалым', 'Когалым', 'Когалым', 'Сургут', 'Нижневартовск', 'Тюмень', 'Уфа'];

/** A family: one surname, and the father's name from which the children's patronymics come. */
export interface Family {
  surname: readonly [string, string];
  father: readonly [string, string, string];
}

export function newFamily(random: SeededRandom): Family {
  return { surname: random.pick(FAMILY_NAMES), father: random.pick(MEN) };
}

const formOf = (pair: readonly [string, string], sex: Sex) => (sex === 'male' ? pair[0] : pair[1]);

export function childName(random: SeededRandom, family: Family): PersonName {
  const sex: Sex = random.chance(0.5) ? 'male' : 'female';
  return {
    familyName: formOf(family.surname, sex),
    givenName: random.pick(sex === 'male' ? BOYS : GIRLS),
    middleName: sex === 'male' ? family.father[1] : family.father[2],
    sex,
  };
}

export function fatherName(random: SeededRandom, family: Family): PersonName {
  return { familyName: family.surname[0], givenName: family.father[0], middleName: random.pick(MEN)[1], sex: 'male' };
}

export function motherName(random: SeededRandom, family: Family): PersonName {
  return { familyName: family.surname[1], givenName: random.pick(WOMEN), middleName: random.pick(MEN)[2], sex: 'female' };
}

/** Anyone outside the families: teachers, and a grandmother who is a child's legal guardian (опекун). */
export function adultName(random: SeededRandom, sex: Sex): PersonName {
  const surname = random.pick(FAMILY_NAMES);
  const father = random.pick(MEN);
  return sex === 'male'
    ? { familyName: surname[0], givenName: random.pick(MEN)[0], middleName: father[1], sex }
    : { familyName: surname[1], givenName: random.pick(WOMEN), middleName: father[2], sex };
}
