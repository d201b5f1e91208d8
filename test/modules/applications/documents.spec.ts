import JSZip from 'jszip';
import {
  ApplicationFormData,
  applicationFormDocx,
  applicationFormPdf,
  CredentialSlipData,
  credentialSlipPdf,
} from '../../../src/modules/applications/documents';
import { russianDate, russianDateTime } from '../../../src/modules/applications/documents/russian-dates';
import { docxContent, pdfTexts, squash } from '../../setup/documents';

/** An expected text where «___» stands for a line to write on, whatever its length. */
const pattern = (part: string) =>
  new RegExp(squash(part).split(/_{3,}/).map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('_{3,}'));
const expectText = (text: string) => ({
  toContain: (...parts: string[]) => parts.forEach((part) => expect(squash(text)).toMatch(pattern(part))),
  notToContain: (...parts: string[]) => parts.forEach((part) => expect(squash(text)).not.toContain(squash(part))),
});

const SCHOOL = {
  fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 5»',
  shortName: 'МБОУ «СОШ № 5»',
  directorName: 'Кузнецова Ольга Викторовна',
};
const CONSENT = {
  applicantData: ['фамилия, имя, отчество', 'адрес проживания', 'номер телефона'],
  childData: ['фамилия, имя, отчество', 'дата рождения', 'класс', 'отметки и посещаемость'],
};
const BLANK: ApplicationFormData = { school: SCHOOL, systemName: 'Электронный журнал journal-hub', consent: CONSENT };
const FILLED: ApplicationFormData = {
  ...BLANK,
  applicant: {
    lastName: 'Петрова',
    firstName: 'Мария',
    middleName: 'Ивановна',
    address: { city: 'Когалым', street: 'Мира', house: '14', apartment: '27' },
    phone: '+7 912 345-67-89',
  },
  child: { lastName: 'Петров', firstName: 'Илья', middleName: 'Сергеевич', classLabel: '5А' },
  relation: 'son',
  delivery: { channel: 'phone', phone: '+7 912 000-11-22' },
  signedOn: '2026-11-28',
  signature: 'paper',
  registration: { number: '47/2026', date: '2026-12-01' },
};
const E_SIGNED: ApplicationFormData = {
  ...FILLED,
  relation: 'daughter',
  child: { lastName: 'Петрова', firstName: 'Анна', middleName: 'Сергеевна', classLabel: '3Б' },
  delivery: { channel: 'email', email: 'petrova@example.ru' },
  signature: 'electronic',
};
const SLIP: CredentialSlipData = {
  school: SCHOOL,
  systemName: 'Электронный журнал journal-hub',
  person: { lastName: 'Петрова', firstName: 'Мария', middleName: 'Ивановна' },
  forWhom: 'Петров Илья Сергеевич, 5А класс',
  login: 'petrova.mi',
  oneTimePassword: 'Kx7mQ2pHw9Tz',
  signInUrl: 'https://journal.example.ru/sign-in',
  issuedAt: '2026-11-28T09:05:00Z',
  timeZone: 'Asia/Yekaterinburg',
};

const FILLED_CONTENT = [
  SCHOOL.fullName,
  'Директору МБОУ «СОШ № 5»',
  'Кузнецова Ольга Викторовна',
  'от Петрова Мария Ивановна',
  'проживающей по адресу:',
  'город Когалым',
  'улица Мира',
  'дом 14, квартира 27',
  'тел. +7 912 345-67-89',
  'ЗАЯВЛЕНИЕ',
  'Петров Илья Сергеевич',
  'ученика 5А класса',
  '«Электронный журнал journal-hub»',
  'моих персональных данных (фамилия, имя, отчество, адрес проживания, номер телефона)',
  'и данных моего ребенка (фамилия, имя, отчество, дата рождения, класс, отметки и посещаемость)',
  'Настоящее согласие сохраняет силу до выбытия ребенка',
  '☒ по телефону, номер: +7 912 000-11-22',
  '☐ при личном обращении',
  '☐ электронной почтой по адресу: ____',
  '« 28 » ноября 2026 г.',
  'Петрова М. И.',
  '(расшифровка подписи)',
  'Регистрационный номер 47/2026',
  'Дата регистрации: 1 декабря 2026 г.',
];
const BLANK_CONTENT = [
  SCHOOL.fullName,
  'Кузнецова Ольга Викторовна',
  '«Электронный журнал journal-hub»',
  'моих персональных данных (фамилия, имя, отчество, адрес проживания, номер телефона)',
  'от ____',
  'проживающего(ей) по адресу:',
  'город ____',
  'дом ____, квартира ____',
  'тел. ____',
  '(сына, дочери, опекаемого) (подчеркнуть)',
  'ученика(цы) ____ класса',
  '☐ при личном обращении',
  '☐ по телефону, номер: ____',
  '« ____ » ____ 20___ г.',
  'Регистрационный номер ____',
  'Дата регистрации: ____',
];
/** What the order says to remove before the form goes to parents. */
const NEVER_PRINTED = ['Приложение 4', 'к приказу', 'Примечание', 'ВНИМАНИЕ'];

describe('application form and credential slip documents', () => {
  let filledDocx: Buffer;
  let blankDocx: Buffer;
  let eSignedDocx: Buffer;
  let filledPdf: Buffer;
  let blankPdf: Buffer;
  let eSignedPdf: Buffer;
  let slipPdf: Buffer;
  let pdfText: { filled: string; blank: string; eSigned: string; slip: string };

  beforeAll(async () => {
    filledDocx = await applicationFormDocx(FILLED);
    blankDocx = await applicationFormDocx(BLANK);
    eSignedDocx = await applicationFormDocx(E_SIGNED);
    filledPdf = await applicationFormPdf(FILLED);
    blankPdf = await applicationFormPdf(BLANK);
    eSignedPdf = await applicationFormPdf(E_SIGNED);
    slipPdf = await credentialSlipPdf(SLIP);
    const [filled, blank, eSigned, slip] = await pdfTexts([filledPdf, blankPdf, eSignedPdf, slipPdf]);
    pdfText = { filled, blank, eSigned, slip };
  });

  describe('a filled application form', () => {
    it('says in the DOCX what the parent filled in, and what the school did', async () => {
      const { text } = await docxContent(filledDocx);
      expectText(text).toContain(...FILLED_CONTENT);
      expectText(text).notToContain(...NEVER_PRINTED);
    });

    it('says the same in the PDF', () => {
      expectText(pdfText.filled).toContain(...FILLED_CONTENT);
      expectText(pdfText.filled).notToContain(...NEVER_PRINTED);
    });

    it('underlines the chosen relation in the DOCX with a real underline, and only that one', async () => {
      const { xml } = await docxContent(filledDocx);
      const underlined = [...xml.matchAll(/<w:r>(?:(?!<\/w:r>)[\s\S])*?<w:u w:val="single"\/>(?:(?!<\/w:r>)[\s\S])*?<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]);
      expect(underlined).toContain('сына');
      expect(underlined).not.toContain('дочери');
      expect(underlined).not.toContain('опекаемого');
      expectText((await docxContent(filledDocx)).text).notToContain('(подчеркнуть)');
    });

    it('marks an electronic signature instead of leaving a line to sign on', async () => {
      for (const text of [(await docxContent(eSignedDocx)).text, pdfText.eSigned]) {
        expectText(text).toContain(
          'подписано электронно',
          '(подпись заявителя)',
          'Петрова М. И.',
          'ученицы 3Б класса',
          '☒ электронной почтой по адресу: petrova@example.ru',
          '☐ по телефону, номер: ____',
        );
      }
    });
  });

  describe('a blank application form', () => {
    it('carries the school and the system, with lines to fill in by hand, in the DOCX', async () => {
      const { text } = await docxContent(blankDocx);
      expectText(text).toContain(...BLANK_CONTENT);
      expectText(text).notToContain('Петрова', '☒', ...NEVER_PRINTED);
    });

    it('and in the PDF', () => {
      expectText(pdfText.blank).toContain(...BLANK_CONTENT);
      expectText(pdfText.blank).notToContain('Петрова', '☒', ...NEVER_PRINTED);
    });
  });

  describe('the credential slip', () => {
    it('gives the login, the one-time password and how to sign in, in Russian', () => {
      expectText(pdfText.slip).toContain(
        SCHOOL.fullName,
        'Электронный журнал journal-hub',
        'Петрова Мария Ивановна',
        'Петров Илья Сергеевич, 5А класс',
        'https://journal.example.ru/sign-in',
        'Логин petrova.mi',
        'Одноразовый пароль Kx7mQ2pHw9Tz',
        'При первом входе система попросит заменить одноразовый пароль своим',
        'после первого входа уничтожьте',
        // 09:05 UTC is 14:05 in Kogalym.
        'Выдано: 28 ноября 2026 г., 14:05',
      );
    });

    it('is one small page', () => {
      const mediaBoxes = [...slipPdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)];
      expect(mediaBoxes).toHaveLength(1);
      // A6: 105 × 148 mm.
      expect(Number(mediaBoxes[0][1])).toBeCloseTo((105 * 72) / 25.4, 0);
      expect(Number(mediaBoxes[0][2])).toBeCloseTo((148 * 72) / 25.4, 0);
    });
  });

  describe('files', () => {
    it('embeds DejaVu in every PDF, so Cyrillic prints without the reader having the font', () => {
      for (const pdf of [filledPdf, blankPdf, slipPdf]) {
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf.toString('latin1')).toMatch(/\/FontFile2/);
        expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
      }
      expect(slipPdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSansMono-Bold\b/);
    });

    it('makes the DOCX a zip with word/document.xml, on A4 in a font with Cyrillic', async () => {
      const zip = await JSZip.loadAsync(filledDocx);
      expect(zip.file('word/document.xml')).not.toBeNull();
      const styles = await zip.file('word/styles.xml')!.async('string');
      expect(styles).toContain('Times New Roman');
      const { xml } = await docxContent(filledDocx);
      expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    });
  });

  describe('Russian dates', () => {
    it('writes every month in the genitive', () => {
      const months = Array.from({ length: 12 }, (_, i) => russianDate(`2026-${String(i + 1).padStart(2, '0')}-05`));
      expect(months).toEqual([
        '5 января 2026 г.', '5 февраля 2026 г.', '5 марта 2026 г.', '5 апреля 2026 г.', '5 мая 2026 г.', '5 июня 2026 г.',
        '5 июля 2026 г.', '5 августа 2026 г.', '5 сентября 2026 г.', '5 октября 2026 г.', '5 ноября 2026 г.', '5 декабря 2026 г.',
      ]);
    });

    it('prints an instant on the clock written in it when no time zone is given', () => {
      expect(russianDateTime('2026-11-28T23:30:00+05:00', 'issuedAt')).toBe('28 ноября 2026 г., 23:30');
      expect(russianDateTime('2026-11-28T20:30:00Z', 'issuedAt', 'Asia/Yekaterinburg')).toBe('29 ноября 2026 г., 01:30');
    });

    it('refuses an impossible date as bad input', () => {
      expect(() => russianDate('2026-02-30')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'APPLICATION_DOCUMENT_DATE_INVALID' }));
      return expect(applicationFormPdf({ ...FILLED, signedOn: '28.11.2026' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    });
  });
});
