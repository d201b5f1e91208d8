/**
 * The wording and layout of the parents' application for e-diary access: Appendix 4 to the order
 * (Управление образования, 26.03.2012 № 256), as a neutral document both renderers draw.
 *
 * The school's edits that the order's note asks for are made here: the system name is filled in, the
 * personal data categories follow «моих персональных данных» and «данных моего ребенка», and neither
 * the «Приложение 4 к приказу…» header nor the note itself is printed.
 */
import { Block, DocumentModel, paragraph, Run } from './document-model';
import { fullName, genderFromPatronymic, nameWithInitials, PersonName } from './person-names';
import { quotedRussianDate, russianDate } from './russian-dates';

export type ChildRelation = 'son' | 'daughter' | 'ward';
export type DeliveryChannel = 'in_person' | 'phone' | 'email';

export interface ApplicationFormData {
  school: { fullName: string; shortName: string; directorName: string | null };
  /** The e-journal system's name, filled by the school, e.g. «ЭлЖур» or «Электронный журнал journal-hub». */
  systemName: string;
  /** The personal data categories the consent covers (applicant's and child's), listed in the consent text. */
  consent: { applicantData: string[]; childData: string[] };
  /** Absent for a blank form to print: then the form shows lines to fill in by hand. */
  applicant?: PersonName & { address: { city: string; street: string; house: string; apartment: string | null }; phone: string | null };
  child?: PersonName & { classLabel: string };
  relation?: ChildRelation;
  delivery?: { channel: DeliveryChannel; phone?: string | null; email?: string | null };
  /** YYYY-MM-DD */
  signedOn?: string;
  signature?: 'paper' | 'electronic';
  /** Filled by the school on receipt; date YYYY-MM-DD. */
  registration?: { number: string; date: string };
}

const RELATIONS: Array<[ChildRelation, string]> = [['son', 'сына'], ['daughter', 'дочери'], ['ward', 'опекаемого']];

const blank = (length: number): Run => ({ text: '_'.repeat(length) });

/** A value written on its line; without one the line stays empty, to be filled in by hand. */
const field = (value: string | null | undefined, blankLength: number): Run =>
  value ? { text: value, underline: true } : blank(blankLength);

const check = (checked: boolean): Run => ({ text: checked ? '☒' : '☐' });

/** The order's text quotes the system name; a name already in quotes keeps its own. */
const quoted = (name: string) => (/^[«"„“]/.test(name.trim()) ? name.trim() : `«${name.trim()}»`);

/** The list of categories in parentheses, or nothing when the school listed none (the note only advises it). */
const categories = (list: string[]) => (list.length ? ` (${list.join(', ')})` : '');

export function appendix4Form(data: ApplicationFormData): DocumentModel {
  const { school, applicant, child, relation, delivery } = data;
  const applicantGender = applicant ? genderFromPatronymic(applicant) : null;
  // A son is «ученик», a daughter «ученица»; a ward's gender shows only in the patronymic.
  const childGender = relation === 'son' ? 'masculine' : relation === 'daughter' ? 'feminine' : child ? genderFromPatronymic(child) : null;
  const address = applicant?.address;
  const deliveryPhone = delivery?.channel === 'phone' ? (delivery.phone ?? applicant?.phone) : null;
  const deliveryEmail = delivery?.channel === 'email' ? delivery.email : null;

  const addressee: Block[] = [
    paragraph(`Директору ${school.shortName}`, { caption: `(${school.fullName})` }),
    paragraph([field(school.directorName, 34)], { caption: '(ФИО директора)', spaceBefore: 4 }),
    paragraph([{ text: 'от ' }, field(applicant && fullName(applicant), 32)], { caption: '(ФИО заявителя полностью)', spaceBefore: 4 }),
    paragraph(
      `${applicantGender === 'masculine' ? 'проживающего' : applicantGender === 'feminine' ? 'проживающей' : 'проживающего(ей)'} по адресу:`,
      { spaceBefore: 4 },
    ),
    paragraph([{ text: 'город ' }, field(address?.city, 30)]),
    paragraph([{ text: 'улица ' }, field(address?.street, 30)]),
    paragraph(
      address && !address.apartment
        ? [{ text: 'дом ' }, field(address.house, 8)]
        : [{ text: 'дом ' }, field(address?.house, 8), { text: ', квартира ' }, field(address?.apartment, 8)],
    ),
    paragraph([{ text: 'тел. ' }, field(applicant?.phone, 24)]),
  ].map((block) => ({ ...block, rightHalf: true }));

  // Filled in, the chosen relation is underlined as the paper form asks; blank, all three wait for the pen.
  const relationRuns: Run[] = RELATIONS.flatMap(([key, word], i) => [
    ...(i ? [{ text: ', ' }] : []),
    relation === key ? { text: word, underline: true, bold: true } : { text: word },
  ]);

  const request: Block[] = [
    paragraph([{ text: 'ЗАЯВЛЕНИЕ', bold: true }], { align: 'center', size: 'title', spaceBefore: 18 }),
    paragraph(
      [
        { text: 'Прошу предоставлять мне информацию о текущей успеваемости моего ребенка (' },
        ...relationRuns,
        { text: relation ? ')' : ') (подчеркнуть)' },
      ],
      { align: 'justify', firstLineIndent: true, spaceBefore: 10 },
    ),
    paragraph([field(child && fullName(child), 56)], { align: 'center', caption: '(фамилия, имя, отчество ребенка)', spaceBefore: 4 }),
    paragraph(
      [
        { text: `${childGender === 'masculine' ? 'ученика' : childGender === 'feminine' ? 'ученицы' : 'ученика(цы)'} ` },
        field(child?.classLabel, 6),
        { text: ' класса Вашего общеобразовательного учреждения через систему электронного дневника, электронного журнала ' },
        field(quoted(data.systemName), 20),
      ],
      { align: 'justify', spaceBefore: 4 },
    ),
  ];

  const consent: Block[] = [
    paragraph(
      'В соответствии с Федеральным законом №152-ФЗ от 27.07.2006 года «О персональных данных» выражаю свое согласие ' +
        'на обработку (сбор, систематизацию, накопление, хранение, уточнение (обновление, изменение), использование, ' +
        'распространение (передачу) способами, не противоречащими закону, ' +
        `моих персональных данных${categories(data.consent.applicantData)} ` +
        `и данных моего ребенка${categories(data.consent.childData)} ` +
        'для обеспечения возможности оперативного доступа по индивидуальному логину и паролю через сеть «Интернет» ' +
        'к информации о текущей успеваемости и посещаемости своего ребенка.',
      { align: 'justify', firstLineIndent: true, spaceBefore: 10 },
    ),
    paragraph('Настоящее согласие сохраняет силу до выбытия ребенка из муниципального общеобразовательного учреждения.', {
      align: 'justify',
      firstLineIndent: true,
      spaceBefore: 4,
    }),
  ];

  const credentials: Block[] = [
    paragraph('Прошу сообщить мне индивидуальные логин и пароль доступа в информационную систему электронного дневника в следующей форме:', {
      align: 'justify',
      firstLineIndent: true,
      spaceBefore: 10,
    }),
    paragraph([check(delivery?.channel === 'in_person'), { text: ' при личном обращении' }], { firstLineIndent: true, spaceBefore: 4 }),
    paragraph([check(delivery?.channel === 'phone'), { text: ' по телефону, номер: ' }, field(deliveryPhone, 24)], { firstLineIndent: true }),
    paragraph([check(delivery?.channel === 'email'), { text: ' электронной почтой по адресу: ' }, field(deliveryEmail, 30)], { firstLineIndent: true }),
  ];

  const signed: Block = {
    kind: 'row',
    spaceBefore: 24,
    cells: [
      {
        share: 0.36,
        runs: data.signedOn ? [{ text: quotedRussianDate(data.signedOn, 'signedOn') }] : [{ text: '« ____ » ____________ 20___ г.' }],
      },
      {
        share: 0.3,
        align: 'center',
        // Signed electronically there is no line to sign on; the mark says how it was signed instead.
        runs: data.signature === 'electronic' ? [{ text: 'подписано электронно', italic: true }] : [blank(18)],
        caption: '(подпись заявителя)',
      },
      { share: 0.34, align: 'center', runs: [field(applicant && nameWithInitials(applicant), 22)], caption: '(расшифровка подписи)' },
    ],
  };

  const registration: Block[] = [
    paragraph([{ text: 'Регистрация заявления:', bold: true }], { spaceBefore: 28 }),
    paragraph([{ text: 'Регистрационный номер ' }, field(data.registration?.number, 16)], { spaceBefore: 4 }),
    paragraph([{ text: 'Дата регистрации: ' }, field(data.registration && russianDate(data.registration.date, 'registration.date'), 20)]),
  ];

  return {
    title: `Заявление о предоставлении доступа к электронному дневнику — ${school.shortName}`,
    page: 'A4',
    margins: { top: 15, right: 15, bottom: 15, left: 25 },
    fontSize: 12,
    blocks: [...addressee, ...request, ...consent, ...credentials, signed, ...registration],
  };
}
