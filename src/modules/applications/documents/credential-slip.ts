/**
 * The slip a school hands a person with their login and one-time password (the order: «логин и
 * пароль» given in person, by phone or by e-mail). An A6 page, one per person, so a stack prints and
 * is handed out without cutting.
 */
import { DocumentModel, paragraph, Run } from './document-model';
import { renderPdf } from './pdf-render';
import { fullName, PersonName } from './person-names';
import { russianDateTime } from './russian-dates';

export interface CredentialSlipData {
  school: { fullName: string; shortName: string };
  systemName: string;
  person: PersonName;
  /** Whose diary it opens, e.g. the child's name and class; optional. */
  forWhom?: string | null;
  login: string;
  oneTimePassword: string;
  signInUrl: string;
  /** ISO date-time. */
  issuedAt: string;
  /** IANA zone the issue time is printed in (the school's); without it, the clock written in `issuedAt`. */
  timeZone?: string;
}

const label = (text: string) => paragraph(text, { size: 'small', spaceBefore: 6 });
const value = (runs: Run[] | string, size: 'normal' | 'large' = 'normal') => paragraph(runs, { size });

export function credentialSlip(data: CredentialSlipData): DocumentModel {
  return {
    // The title is file metadata a viewer shows: it names the person, never the password.
    title: `Логин и пароль — ${fullName(data.person)}, ${data.school.shortName}`,
    page: 'A6',
    margins: { top: 8, right: 8, bottom: 8, left: 8 },
    fontSize: 10,
    blocks: [
      paragraph(data.school.fullName, { size: 'small', align: 'center' }),
      paragraph([{ text: 'Доступ к электронному дневнику', bold: true }], { size: 'large', align: 'center', spaceBefore: 6 }),
      paragraph(data.systemName, { align: 'center' }),
      label('Пользователь'),
      value([{ text: fullName(data.person), bold: true }]),
      ...(data.forWhom ? [label('Дневник ученика'), value(data.forWhom)] : []),
      label('Адрес для входа'),
      value([{ text: data.signInUrl, mono: true }]),
      label('Логин'),
      value([{ text: data.login, mono: true, bold: true }], 'large'),
      label('Одноразовый пароль'),
      // Monospace, so that a person types exactly the characters printed.
      value([{ text: data.oneTimePassword, mono: true, bold: true }], 'large'),
      paragraph(
        'При первом входе система попросит заменить одноразовый пароль своим. Одноразовый пароль перестаёт ' +
          'действовать, как только вы зададите новый.',
        { size: 'small', align: 'justify', spaceBefore: 10 },
      ),
      paragraph(
        'Никому не сообщайте логин и пароль и не передавайте этот листок. Храните его там, где его не увидят ' +
          'посторонние, а после первого входа уничтожьте.',
        { size: 'small', align: 'justify', spaceBefore: 4 },
      ),
      paragraph('Если листок потерян или пароль узнал кто-то другой, обратитесь в школу за новым паролем.', {
        size: 'small',
        align: 'justify',
        spaceBefore: 4,
      }),
      paragraph(`Выдано: ${russianDateTime(data.issuedAt, 'issuedAt', data.timeZone)}`, {
        size: 'small',
        spaceBefore: 8,
      }),
    ],
  };
}

/** `async`, so that bad input (an unreadable issue time) arrives as a rejection. */
export async function credentialSlipPdf(data: CredentialSlipData): Promise<Buffer> {
  return renderPdf(credentialSlip(data));
}
