import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { oneRosterCsvAdapter } from '../../../adapters/oneroster/csv';
import { OneRosterCsvExporter } from '../../../adapters/oneroster/csv/simulator';
import { ContractSource, ContractSubject, SourceRef } from '../contract/source';

/** Generated OneRoster records are whatever JSON a vendor has. */
type Json = any;

/**
 * A school's OneRoster CSV export as the contract suite syncs it: a ZIP the vendor rewrites. A change
 * is a new bulk export of the changed data (what a nightly full export is), so that an incremental and
 * a full sync read the same; a removal is a delta export with the records flagged tobedeleted.
 */
export const subject: ContractSubject = {
  adapter: oneRosterCsvAdapter,
  async open(seed: number): Promise<ContractSource> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oneroster-csv-contract-'));
    const target = path.join(dir, 'export.zip');
    const vendor = new OneRosterCsvExporter({ seed, grades: [5, 6], classesPerGrade: 1, studentsPerClass: 6, weeks: 2 });
    await vendor.write(target, 'bulk');
    const marks = () => vendor.records('results').filter((r: Json) => r.status === 'active' && r.scoreStatus !== 'exempt') as Json[];
    let restore: NodeJS.Timeout | undefined;
    return {
      config: { path: target },
      async whole() {
        const bulk = path.join(dir, 'whole.zip');
        await vendor.write(bulk, 'bulk');
        return { path: bulk };
      },
      wrongCredentials: null,
      async change() {
        vendor.clock.advance(60_000);
        const [first, second, third] = marks();
        vendor.update('results', first.sourcedId, { score: first.score === 2 ? 3 : 2, textScore: null });
        vendor.update('results', second.sourcedId, { textScore: '4-', score: 4 });
        const lineItem = vendor.records('lineItems')[0] as Json;
        vendor.update('lineItems', lineItem.sourcedId, { title: 'Самостоятельная работа по теме урока' });
        const student = vendor.records('users').find((u: Json) => u.roles[0].role === 'student') as Json;
        vendor.update('users', student.sourcedId, { familyName: `${student.familyName}-Смирнова` });
        vendor.add('results', { ...third, sourcedId: `added-${seed}`, score: 5, textScore: undefined });
        await vendor.write(target, 'bulk');
      },
      async remove(): Promise<SourceRef[]> {
        vendor.clock.advance(60_000);
        const [mark] = marks();
        const enrollment = vendor.records('enrollments').find((e: Json) => e.status === 'active' && e.role === 'student') as Json;
        const homeroom = (vendor.records('classes') as Json[]).find((c) => c.sourcedId === enrollment.class.sourcedId)?.classType === 'homeroom';
        const lineItem = vendor.records('lineItems').at(-1) as Json;
        vendor.remove('results', mark.sourcedId);
        vendor.remove('lineItems', lineItem.sourcedId);
        for (const r of marks().filter((r) => r.lineItem.sourcedId === lineItem.sourcedId)) vendor.remove('results', r.sourcedId);
        vendor.remove('enrollments', enrollment.sourcedId);
        await vendor.write(target, 'delta');
        return [
          { stream: 'marks', sourceId: mark.sourcedId },
          { stream: 'lessons', sourceId: lineItem.sourcedId },
          ...(homeroom ? [{ stream: 'enrollments' as const, sourceId: enrollment.sourcedId }] : []),
        ];
      },
      async malform(): Promise<SourceRef> {
        vendor.clock.advance(60_000);
        const mark = marks()[3];
        vendor.malform('results', mark.sourcedId, { score: 'abc', textScore: '' });
        await vendor.write(target, 'bulk');
        return { stream: 'marks', sourceId: mark.sourcedId };
      },
      outage(requests: number) {
        // The ZIP half copied into place, as while the vendor's job writes it; whole again shortly after.
        const whole = fs.readFileSync(target);
        fs.writeFileSync(target, whole.subarray(0, Math.floor(whole.length / 2)));
        clearTimeout(restore);
        restore = setTimeout(() => fs.writeFileSync(target, whole), Math.min(100 * requests, 600));
      },
      async close() {
        clearTimeout(restore);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
