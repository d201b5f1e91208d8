import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSortedSchema } from '../graphql/schema';

/** `npm run schema:emit` writes schema.graphql at the project root from the resolvers' code. */
const file = path.resolve(__dirname, '../../../schema.graphql');
fs.writeFileSync(file, printSortedSchema());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
