import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const require = createRequire(import.meta.url);

/** A module of the compiled hub (npm run build puts it in dist/): the bench measures the code that ships. */
export const dist = (file) => require(path.join(root, 'dist', file));

/** CommonJS packages (autocannon, pg's helpers) resolved as the project resolves them. */
export const requirePackage = (name) => require(name);
