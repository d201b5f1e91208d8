import { keepLineItems, keptLineItems } from '../../../adapters/oneroster/kept';

describe('line items kept between exports', () => {
  const items = [
    { sourcedId: 'l1', status: 'active', title: 'Ответ на уроке', assignDate: '2026-09-01T04:25:00.000Z', class: { sourcedId: 'c1' }, category: { sourcedId: 'k1' } },
    { sourcedId: 'l2', status: 'active', title: 'Контрольная работа №1', assignDate: '2026-09-01T05:20:00.000Z', class: { sourcedId: 'c1' }, category: { sourcedId: 'k2' } },
    { sourcedId: 'l3', status: 'tobedeleted', dateLastModified: '2026-11-01T01:00:00.000Z', title: 'Ответ на уроке', assignDate: '2026-09-02T04:25:00.000Z', class: { sourcedId: 'c2' }, category: { sourcedId: 'k1' } },
    { sourcedId: 'l4', status: 'active', assignDate: '31.09.2026', class: { sourcedId: 'c2' } },
    { sourcedId: 'l5', status: 'active' },
  ];
  const byId = (records: Record<string, unknown>[] | undefined) => [...(records ?? [])].sort((a, b) => String(a.sourcedId).localeCompare(String(b.sourcedId)));

  it('gives back the same records, in a third of the space', () => {
    const kept = keepLineItems(items);
    expect(byId(keptLineItems(JSON.parse(JSON.stringify(kept))))).toEqual(byId(items));
    expect(kept.strings).toEqual(['k1', 'Ответ на уроке', 'active', 'k2', 'Контрольная работа №1', 'tobedeleted']);
    const many = Array.from({ length: 300 }, (_, i) => ({ ...items[i % 2], sourcedId: `9d0e4b8c-4f8a-4a55-9d43-${String(i).padStart(12, '0')}` }));
    expect(JSON.stringify(keepLineItems(many)).length).toBeLessThan(JSON.stringify(many).length / 2.5);
  });

  it('reads an index saved with the line items as records', () => {
    expect(keptLineItems(items)).toBe(items);
    expect(keptLineItems(undefined)).toBeUndefined();
  });
});
