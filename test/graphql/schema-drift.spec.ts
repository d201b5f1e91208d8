import fs from 'node:fs';
import path from 'node:path';
import { printSortedSchema } from '../../src/graphql/schema';

describe('schema.graphql', () => {
  it('is what the code generates (run `npm run schema:emit` after changing the API)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8');
    expect(printSortedSchema()).toBe(committed);
  });
});
