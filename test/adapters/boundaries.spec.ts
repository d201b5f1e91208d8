import fs from 'node:fs';
import path from 'node:path';

const ADAPTERS = path.join(__dirname, '../../adapters');
const CONTRACT = path.join(ADAPTERS, 'contract');
const KIT = path.join(ADAPTERS, 'simulator-kit');

/** Every TypeScript file of the adapters, with where each of its imports leads (a folder, or a package by name). */
function imports() {
  const files = fs.readdirSync(ADAPTERS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(ADAPTERS, f));
  return files.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map(([, specifier]) => ({
    file: path.relative(ADAPTERS, file),
    specifier,
    target: specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : null,
  })));
}

const inside = (target: string, folder: string) => target === folder || target.startsWith(folder + path.sep);
/** adapters/<family>: an adapter, or a family of them sharing a mapping (oneroster). */
const familyOf = (file: string) => path.join(ADAPTERS, file.split(path.sep)[0]);
const isSimulator = (file: string) => file.split(path.sep).includes('simulator');

describe('adapter boundaries (DESIGN rule 4)', () => {
  const all = imports();

  it('finds the adapters and their simulators', () => {
    const families = new Set(all.map((i) => i.file.split(path.sep)[0]));
    for (const family of ['contract', 'oneroster', 'eljur', 'netschool', 'dnevnik', 'simulator-kit']) expect(families).toContain(family);
    expect(all.filter((i) => isSimulator(i.file)).length).toBeGreaterThan(20);
  });

  it('an adapter imports only the contract, its own folder and packages — never src/, another adapter or a simulator', () => {
    const wrong = all.filter(({ file, target }) => {
      if (file === 'index.ts' || file.startsWith(`contract${path.sep}`) || file.startsWith(`simulator-kit${path.sep}`) || isSimulator(file)) return false;
      if (target === null) return false;
      return !(inside(target, CONTRACT) || (inside(target, familyOf(file)) && !target.split(path.sep).includes('simulator')));
    });
    expect(wrong).toEqual([]);
  });

  it('a simulator (the vendor’s side) imports only its own family’s simulators, the simulator kit and packages — never src/ or an adapter', () => {
    const wrong = all.filter(({ file, target }) => {
      if (!isSimulator(file) || target === null) return false;
      return !(inside(target, KIT) || (inside(target, familyOf(file)) && target.split(path.sep).includes('simulator')));
    });
    expect(wrong).toEqual([]);
  });

  it('the contract and the simulator kit import nothing of the hub', () => {
    const wrong = all.filter(({ file, target }) =>
      (file.startsWith(`contract${path.sep}`) || file.startsWith(`simulator-kit${path.sep}`)) && target !== null && !inside(target, path.dirname(path.join(ADAPTERS, file))));
    expect(wrong).toEqual([]);
  });
});
