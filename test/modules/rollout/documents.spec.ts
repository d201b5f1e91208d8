import { ValueType, Workbook, Worksheet } from 'exceljs';
import JSZip from 'jszip';
import { AppError } from '../../../src/common/errors';
import { consolidatedReportXlsx, ConsolidatedRow, RolloutReportData, rolloutReportDocx } from '../../../src/modules/rollout/documents';
import { docxContent, squash } from '../../setup/documents';

const SCHOOL = {
  fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 5»',
  shortName: 'МБОУ «СОШ № 5»',
};

const FULL: RolloutReportData = {
  school: SCHOOL,
  reportingDate: '2026-11-15',
  status: 'submitted',
  items: {
    responsiblePerson: { name: 'Иванова Анна Петровна', position: 'заместитель директора по УВР' },
    systemName: 'Электронный журнал journal-hub',
    plan: { approvalNumber: '45', approvalDate: '2026-04-18' },
    localActs: [
      { title: 'Положение об электронном журнале успеваемости', approvalNumber: '46', approvalDate: '2026-04-18' },
      { title: 'Регламент оказания помощи учителям', approvalNumber: null, approvalDate: '2026-04-20' },
    ],
    amendments: [{ title: 'Изменения в должностные инструкции учителей', approvalNumber: '51', approvalDate: '2026-05-10' }],
    familiarization: { teachers: 92, parents: 64.25, students: 81 },
    familiarizationForms: 'Педагогический совет\nРодительские собрания',
    applications: {
      percent: 64,
      classes: [
        { className: '1А', percent: 70 },
        { className: '1Б', percent: 58 },
        { className: '2А', percent: null },
      ],
    },
    databaseFullness: { percent: 87, parts: [{ name: 'контингент', percent: 100 }, { name: 'расписание', percent: 75 }] },
    training: { teachers: 100, parents: 40, students: 55.5 },
    websiteLink: true,
    logins: {
      parents: { percent: 71, classes: [{ className: '1А', percent: 80 }, { className: '1Б', percent: 62 }] },
      teachers: { percent: 100 },
      students: { percent: 35, classes: [] },
    },
    teachersWorking: 96,
    parentActivation: { percent: 52.5, classes: [{ className: '1А', percent: 60 }, { className: '1Б', percent: 45 }] },
    additionalInfo: 'Точка доступа к ЭЖ открыта в учительской.',
  },
  problems: [
    { problem: 'Не во всех кабинетах есть компьютер', solution: 'Открыта точка доступа в учительской', resolved: 'partial' },
    { problem: 'Родители забывают пароли', solution: 'Пароль восстанавливает классный руководитель', resolved: 'full' },
  ],
};

const UNKNOWN_VALUES: RolloutReportData = {
  ...FULL,
  status: 'draft',
  items: {
    responsiblePerson: { name: null, position: null },
    systemName: 'Электронный журнал journal-hub',
    plan: { approvalNumber: null, approvalDate: null },
    localActs: [],
    amendments: [],
    familiarization: { teachers: null, parents: null, students: null },
    familiarizationForms: null,
    applications: { percent: null, classes: [] },
    databaseFullness: { percent: null, parts: [] },
    training: { teachers: null, parents: null, students: null },
    websiteLink: null,
    logins: { parents: { percent: null, classes: [] }, teachers: { percent: null }, students: { percent: null, classes: [] } },
    teachersWorking: null,
    parentActivation: { percent: null, classes: [] },
    additionalInfo: null,
  },
  problems: [],
};

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The DOCX's tables as rows of cells; a cell's paragraphs joined by line breaks, no-break spaces as spaces. */
function tables(xml: string): string[][][] {
  return (xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? []).map((table) =>
    (table.match(/<w:tr[ >][\s\S]*?<\/w:tr>/g) ?? []).map((row) =>
      (row.match(/<w:tc>[\s\S]*?<\/w:tc>/g) ?? []).map((cell) =>
        (cell.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [])
          .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1])).join(''))
          .join('\n')
          .replace(/\u00a0/g, ' '),
      ),
    ),
  );
}

/** Items as [number, «Выполнение»], the header row left out. */
const answers = (xml: string) => tables(xml)[0].slice(1).map(([number, , answer]) => [number, answer]);

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe('the Appendix 3 report as DOCX', () => {
  it('titles the report with the school and the reporting date, without the order header', async () => {
    const { text } = await docxContent(await rolloutReportDocx(FULL));
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Отчет',
      'о введении электронных дневников учащихся и электронного журнала успеваемости в МБОУ «СОШ № 5»',
      '(по состоянию на 15 ноября 2026 г.)',
    ]);
    expect(text).not.toContain('Приложение');
    expect(text).not.toContain('ПРОЕКТ');
  });

  it('fills every item and sub-item the way the form asks', async () => {
    const { xml } = await docxContent(await rolloutReportDocx(FULL));
    expect(tables(xml)[0][0]).toEqual(['№', 'Основное содержание мероприятия', 'Выполнение']);
    expect(answers(xml)).toEqual([
      ['1.', 'Иванова Анна Петровна, заместитель директора по УВР'],
      ['2.', 'Электронный журнал journal-hub'],
      ['3.', 'утверждён приказом от 18.04.2026 № 45'],
      ['4.', '(реквизиты утверждения)'],
      ['4.1.', 'утв. приказом от 18.04.2026 № 46'],
      ['4.2.', 'утв. приказом от 20.04.2026'],
      ['5.', '(реквизиты утверждения)'],
      ['5.1.', 'утв. приказом от 10.05.2026 № 51'],
      ['6.', 'охват (в %)'],
      ['6.1.', '92 %'],
      ['6.2.', '64,3 %'],
      ['6.3.', '81 %'],
      ['7.', 'Педагогический совет\nРодительские собрания'],
      ['8.', '64 % родителей (1А – 70 %, 1Б – 58 %, 2А – —)'],
      ['9.', '87 % от необходимого объема (контингент – 100 %, расписание – 75 %)'],
      ['10.', 'охват (в %)'],
      ['10.1.', '100 %'],
      ['10.2.', '40 %'],
      ['10.3.', '55,5 %'],
      ['11.', 'есть'],
      ['12.', 'охват (в %) с указанием классов'],
      ['12.1.', '71 % (1А – 80 %, 1Б – 62 %)'],
      ['12.2.', '100 %'],
      ['12.3.', '35 %'],
      ['13.', '96 %'],
      ['14.', '52,5 % от имеющих возможность воспользоваться услугой (1А – 60 %, 1Б – 45 %)'],
      ['15.', 'Точка доступа к ЭЖ открыта в учительской.'],
    ]);
  });

  it('words the items as the order does and names the acts', async () => {
    const rows = tables((await docxContent(await rolloutReportDocx(FULL))).xml)[0];
    const text = (number: string) => rows.find(([n]) => n === number)![1];
    expect(text('2.')).toBe('Информационная система электронного дневника и электронного журнала успеваемости, вводимая в МБОУ «СОШ № 5»:');
    expect(text('4.1.')).toBe('Положение об электронном журнале успеваемости');
    expect(text('5.1.')).toBe('Изменения в должностные инструкции учителей');
    expect(text('6.2.')).toBe('родители (законные представители)');
    expect(text('12.3.')).toBe('обучающиеся (если предусмотрено информационной системой)');
    expect(text('14.')).toBe('Активация пользователей (родителей) в информационной системе электронного дневника и электронного журнала успеваемости');
  });

  it('keeps a percentage and a class share each on one line', async () => {
    const { xml } = await docxContent(await rolloutReportDocx(FULL));
    expect(xml).toContain('64\u00a0% родителей (1А\u00a0–\u00a070\u00a0%, 1Б\u00a0–\u00a058\u00a0%, 2А\u00a0–\u00a0—)');
  });

  it('prints unknown values as a dash and never as null', async () => {
    const { text, xml } = await docxContent(await rolloutReportDocx(UNKNOWN_VALUES));
    const known = new Map([['2.', 'Электронный журнал journal-hub'], ['6.', 'охват (в %)'], ['10.', 'охват (в %)'], ['12.', 'охват (в %) с указанием классов']]);
    const rows = answers(xml);
    expect(rows.map(([number]) => number)).toEqual(
      ['1', '2', '3', '4', '5', '6', '6.1', '6.2', '6.3', '7', '8', '9', '10', '10.1', '10.2', '10.3', '11', '12', '12.1', '12.2', '12.3', '13', '14', '15'].map((n) => `${n}.`),
    );
    rows.forEach(([number, answer]) => expect([number, answer]).toEqual([number, known.get(number) ?? '—']));
    expect(text).not.toMatch(/null|undefined|NaN/);
  });

  it('marks a draft and a returned report as ПРОЕКТ, a submitted or accepted one not', async () => {
    const firstLine = async (status: RolloutReportData['status']) =>
      (await docxContent(await rolloutReportDocx({ ...FULL, status }))).text.split('\n')[0];
    expect(await firstLine('draft')).toBe('ПРОЕКТ');
    expect(await firstLine('returned')).toBe('ПРОЕКТ');
    expect(await firstLine('accepted')).toBe('Отчет');
  });

  it('lists the problems with how far each was solved', async () => {
    const { text, xml } = await docxContent(await rolloutReportDocx(FULL));
    expect(text).toContain('Возникшие проблемы и результат их решения:');
    expect(tables(xml)[1]).toEqual([
      ['Содержание проблемы', 'Решение проблемы (полностью, частично)'],
      ['Не во всех кабинетах есть компьютер', 'Открыта точка доступа в учительской (частично)'],
      ['Родители забывают пароли', 'Пароль восстанавливает классный руководитель (полностью)'],
    ]);
    const none = (await docxContent(await rolloutReportDocx(UNKNOWN_VALUES))).xml;
    expect(tables(none)[1].slice(1)).toEqual([['Проблем не возникло', '—']]);
  });

  it('is an A4 page in Times New Roman with bordered tables whose header repeats', async () => {
    const { xml } = await docxContent(await rolloutReportDocx(FULL));
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/<w:tblBorders>[\s\S]*?<w:insideH w:val="single"/);
    expect(xml.match(/<w:tblHeader\/>/g)).toHaveLength(2);
    const styles = await (await JSZip.loadAsync(await rolloutReportDocx(FULL))).file('word/styles.xml')!.async('string');
    expect(styles).toContain('w:ascii="Times New Roman"');
  });

  it('puts the organisational form outside the quotes of a school named without them', async () => {
    const { text } = await docxContent(await rolloutReportDocx({ ...FULL, school: { ...SCHOOL, shortName: 'МАОУ СОШ №3' } }));
    expect(squash(text)).toContain(squash('успеваемости в МАОУ «СОШ №3»'));
  });

  it('refuses a percentage off 0..100 and an impossible date, naming the field', async () => {
    const offScale = await refusal(
      rolloutReportDocx({
        ...FULL,
        items: { ...FULL.items, applications: { percent: 64, classes: [{ className: '1А', percent: 70 }, { className: '1Б', percent: 140 }] } },
      }),
    );
    expect(offScale.reason).toBe('ROLLOUT_REPORT_PERCENT_INVALID');
    expect(Object.keys(offScale.details.fields!)).toEqual(['items.applications.classes.1.percent']);

    const badDate = await refusal(rolloutReportDocx({ ...FULL, items: { ...FULL.items, plan: { approvalNumber: '45', approvalDate: '2026-02-30' } } }));
    expect(badDate.reason).toBe('ROLLOUT_REPORT_DATE_INVALID');
    expect(Object.keys(badDate.details.fields!)).toEqual(['items.plan.approvalDate']);
  });
});

describe('the consolidated sheet as XLSX', () => {
  const school = (n: number) => ({ fullName: `Средняя общеобразовательная школа № ${n}`, shortName: `МАОУ СОШ №${n}` });
  const report = (n: number, status: RolloutReportData['status'], applications: number | null, activation: number | null): RolloutReportData => ({
    ...FULL,
    school: school(n),
    status,
    items: {
      ...FULL.items,
      applications: { percent: applications, classes: [] },
      parentActivation: { percent: activation, classes: [] },
    },
  });
  const ROWS: ConsolidatedRow[] = [
    { school: SCHOOL, status: 'submitted', report: FULL },
    { school: school(2), status: 'accepted', report: report(2, 'accepted', 80, 61) },
    { school: school(3), status: 'draft', report: report(3, 'draft', 50, null) },
    { school: school(4), status: 'returned', report: { ...UNKNOWN_VALUES, school: school(4), status: 'returned' } },
    { school: school(6), status: 'missing', report: null },
    { school: school(7), status: 'late', report: null },
  ];

  let sheet: Worksheet;
  let headers: string[];
  const column = (header: string) => {
    const index = headers.indexOf(header);
    expect(index).toBeGreaterThanOrEqual(0);
    return index + 1;
  };
  const cell = (row: number, header: string) => sheet.getCell(row, column(header));

  beforeAll(async () => {
    const workbook = new Workbook();
    const xlsx = await consolidatedReportXlsx('2026-11-15', ROWS);
    // exceljs types its input as an ArrayBuffer-like of its own, which a Node Buffer does not satisfy.
    await workbook.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer);
    expect(workbook.worksheets.map((ws) => ws.name)).toEqual(['Сводный отчёт']);
    sheet = workbook.worksheets[0];
    headers = (sheet.getRow(2).values as string[]).slice(1);
  });

  it('has a title row with the date and a bold, frozen header row with every item', () => {
    expect(sheet.getCell('A1').value).toBe(
      'Сводный отчет о введении электронных дневников учащихся и электронного журнала успеваемости (по состоянию на 15 ноября 2026 г.)',
    );
    expect(headers).toEqual([
      'Школа',
      'Статус отчёта',
      '1. Ответственный',
      '2. Система',
      '3. План работы',
      '4. Локальные акты',
      '5. Изменения в локальные акты',
      '6.1 Ознакомлены педагоги, %',
      '6.2 Ознакомлены родители, %',
      '6.3 Ознакомлены обучающиеся, %',
      '7. Формы ознакомления',
      '8. Заявления, %',
      '9. Заполнение баз данных, %',
      '10.1 Обучены педагоги, %',
      '10.2 Обучены родители, %',
      '10.3 Обучены обучающиеся, %',
      '11. Ссылка на сайте',
      '12.1 Логины родителей, %',
      '12.2 Логины педагогов, %',
      '12.3 Логины обучающихся, %',
      '13. Педагоги, работающие в ЭЖ, %',
      '14. Активация родителей, %',
      '15. Дополнительно',
    ]);
    expect(sheet.getCell(2, 1).font?.bold).toBe(true);
    expect(sheet.getCell(2, headers.length).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    headers.forEach((_, i) => expect(sheet.getColumn(i + 1).width).toBeGreaterThanOrEqual(10));
  });

  it('has one row per school, in the order given, with its status', () => {
    const schools = [3, 4, 5, 6, 7, 8].map((row) => [sheet.getCell(row, 1).value, cell(row, 'Статус отчёта').value]);
    expect(schools).toEqual([
      ['МБОУ «СОШ № 5»', 'сдан'],
      ['МАОУ СОШ №2', 'принят'],
      ['МАОУ СОШ №3', 'черновик'],
      ['МАОУ СОШ №4', 'возвращён'],
      ['МАОУ СОШ №6', 'не сдан'],
      ['МАОУ СОШ №7', 'просрочен'],
    ]);
    expect(sheet.getCell(9, 1).value).toBe('Среднее по муниципалитету');
    expect(sheet.rowCount).toBe(9);
  });

  it('writes a full report’s items as texts and percentages', () => {
    expect(cell(3, '1. Ответственный').value).toBe('Иванова Анна Петровна, заместитель директора по УВР');
    expect(cell(3, '2. Система').value).toBe('Электронный журнал journal-hub');
    expect(cell(3, '3. План работы').value).toBe('приказ от 18.04.2026 № 45');
    expect(cell(3, '4. Локальные акты').value).toBe('Положение об электронном журнале успеваемости\nРегламент оказания помощи учителям');
    expect(cell(3, '11. Ссылка на сайте').value).toBe('есть');
    const percents: Array<[string, number]> = [
      ['6.1 Ознакомлены педагоги, %', 0.92],
      ['6.2 Ознакомлены родители, %', 0.6425],
      ['8. Заявления, %', 0.64],
      ['9. Заполнение баз данных, %', 0.87],
      ['10.3 Обучены обучающиеся, %', 0.555],
      ['12.1 Логины родителей, %', 0.71],
      ['12.2 Логины педагогов, %', 1],
      ['13. Педагоги, работающие в ЭЖ, %', 0.96],
      ['14. Активация родителей, %', 0.525],
    ];
    percents.forEach(([header, value]) => expect([header, cell(3, header).value]).toEqual([header, expect.closeTo(value, 10)]));
  });

  it('formats percentages as numbers with a percent format', () => {
    expect(cell(3, '8. Заявления, %').numFmt).toBe('0%');
    expect(cell(3, '6.2 Ознакомлены родители, %').numFmt).toBe('0.0%');
    expect(cell(3, '14. Активация родителей, %').numFmt).toBe('0.0%');
    expect(typeof cell(4, '14. Активация родителей, %').value).toBe('number');
  });

  it('leaves unknown values and every item of a school without a report empty', () => {
    headers.slice(2).forEach((header) => {
      expect([header, cell(7, header).value]).toEqual([header, null]);
      expect([header, cell(8, header).value]).toEqual([header, null]);
    });
    expect(cell(6, '1. Ответственный').value).toBeNull();
    expect(cell(6, '8. Заявления, %').value).toBeNull();
    expect(cell(5, '14. Активация родителей, %').value).toBeNull();
  });

  it('ends with the municipality average of each percentage column, as a formula with its value', () => {
    const applications = cell(9, '8. Заявления, %');
    const letter = sheet.getColumn(column('8. Заявления, %')).letter;
    // 64, 80 and 50; the returned report's unknown value and the schools without a report are skipped.
    expect(applications.value).toEqual({ formula: `IFERROR(AVERAGE(${letter}3:${letter}8),"")`, result: expect.closeTo((0.64 + 0.8 + 0.5) / 3, 10) });
    expect(applications.numFmt).toBe('0.0%');
    expect(cell(9, '14. Активация родителей, %').result).toBeCloseTo((0.525 + 0.61) / 2, 10);
    headers.forEach((header) => {
      if (header.endsWith(', %')) expect([header, cell(9, header).type]).toEqual([header, ValueType.Formula]);
      else if (header !== 'Школа') expect([header, cell(9, header).value]).toEqual([header, null]);
    });
  });

  it('refuses a report for another date and a percentage off 0..100', async () => {
    const otherDate = await refusal(consolidatedReportXlsx('2026-11-15', [{ school: SCHOOL, status: 'submitted', report: { ...FULL, reportingDate: '2026-10-15' } }]));
    expect(otherDate.reason).toBe('ROLLOUT_REPORT_DATE_MISMATCH');
    const offScale = await refusal(
      consolidatedReportXlsx('2026-11-15', [ROWS[0], { school: SCHOOL, status: 'submitted', report: { ...FULL, items: { ...FULL.items, teachersWorking: -5 } } }]),
    );
    expect(Object.keys(offScale.details.fields!)).toEqual(['rows.1.report.items.teachersWorking']);
  });
});
