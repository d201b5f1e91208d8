import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AdapterError } from '../../contract';

/**
 * The files of one export, from a folder or a ZIP file, opened one at a time as streams (an export
 * can be hundreds of megabytes: nothing is read whole into memory). Names match case-insensitively.
 */
export interface ExportFiles {
  /** The configured path, for messages. */
  readonly where: string;
  has(name: string): boolean;
  open(name: string): Promise<Readable>;
  /** The same files with the same content give the same fingerprint: which export this is. */
  fingerprint(): Promise<string>;
  close(): void;
}

/** File-system failures a later attempt may not meet: a network share that hiccups, a file being written. */
const TRANSIENT_CODES = new Set(['EIO', 'EAGAIN', 'EBUSY', 'ETIMEDOUT', 'ESTALE', 'ECONNRESET', 'EHOSTDOWN', 'EMFILE', 'ENFILE']);

/** A file-system error as an AdapterError in words IT staff can act on. */
export function fileError(error: unknown, what: string): AdapterError {
  if (error instanceof AdapterError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AdapterError('config', `${what} does not exist on the hub's machine. Check «Путь к выгрузке» (path) and that the folder the vendor's export lands in is mounted.`);
  }
  if (code === 'EACCES' || code === 'EPERM') return new AdapterError('config', `${what} cannot be read by the hub (permission denied): give the hub's user read access.`);
  if (TRANSIENT_CODES.has(code)) return new AdapterError('transient', `${what} cannot be read just now (${code}); the next run tries again.`);
  return new AdapterError('config', `${what} cannot be read: ${(error as Error)?.message ?? String(error)}`);
}

/** Waits before each new attempt at an export that could not be read just now (a ZIP still being copied into place). */
const RETRY_DELAYS_MS = [250, 500, 1000];

export async function openExport(where: string): Promise<ExportFiles> {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await openOnce(where);
    } catch (error) {
      if (!(error instanceof AdapterError && error.kind === 'transient')) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return openOnce(where);
}

async function openOnce(where: string): Promise<ExportFiles> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(where);
  } catch (error) {
    throw fileError(error, `The export path "${where}"`);
  }
  if (stat.isDirectory()) return openFolder(where);
  if (stat.isFile() && /\.zip$/i.test(where)) return openZip(where);
  throw new AdapterError('config', `The export path "${where}" is neither a folder nor a .zip file.`);
}

async function openFolder(folder: string): Promise<ExportFiles> {
  let entries: string[];
  try {
    entries = await fs.promises.readdir(folder);
  } catch (error) {
    throw fileError(error, `The export folder "${folder}"`);
  }
  const names = new Map(entries.map((name) => [name.toLowerCase(), name]));
  const full = (name: string) => path.join(folder, names.get(name.toLowerCase()) ?? name);
  return {
    where: folder,
    has: (name) => names.has(name.toLowerCase()),
    async open(name) {
      const stream = fs.createReadStream(full(name));
      // Opening errors surface here rather than mid-parse.
      await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject)).catch((error) => {
        throw fileError(error, `${name} in "${folder}"`);
      });
      return stream;
    },
    async fingerprint() {
      // Size and modification time of every file, and the manifest's content: cheap, and a new export changes them.
      const hash = createHash('sha256');
      for (const name of [...names.values()].sort()) {
        const s = await fs.promises.stat(path.join(folder, name)).catch((error) => { throw fileError(error, `${name} in "${folder}"`); });
        hash.update(`${name}\u0000${s.size}\u0000${s.mtimeMs}\n`);
      }
      if (names.has('manifest.csv')) hash.update(await fs.promises.readFile(full('manifest.csv')));
      return hash.digest('hex').slice(0, 32);
    },
    close() {},
  };
}

/** Files of a ZIP up to this size are kept in memory once read, for the run's next opening of them. */
const SMALL_ENTRY_BYTES = 64 * 1024;

async function openZip(file: string): Promise<ExportFiles> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, z) => (error ? reject(error) : resolve(z!))),
  ).catch((error) => {
    if ((error as NodeJS.ErrnoException).code) throw fileError(error, `The export ZIP "${file}"`);
    // A ZIP without its central directory is usually one still being copied into place.
    throw new AdapterError('transient', `The export ZIP "${file}" cannot be read as a ZIP (${(error as Error).message}): it may still be being written; the next run tries again.`);
  });
  const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
    const list: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) list.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(list));
    zip.once('error', reject);
    zip.readEntry();
  }).catch((error) => {
    zip.close();
    throw new AdapterError('transient', `The export ZIP "${file}" is damaged (${(error as Error).message}): it may still be being written; the next run tries again.`);
  });
  // The export's files sit beside its manifest, also when the ZIP wraps them in a folder.
  const manifest = entries.filter((e) => path.posix.basename(e.fileName).toLowerCase() === 'manifest.csv').sort((a, b) => a.fileName.length - b.fileName.length)[0];
  const folder = manifest ? path.posix.dirname(manifest.fileName) : '.';
  const byName = new Map(entries.filter((e) => path.posix.dirname(e.fileName) === folder).map((e) => [path.posix.basename(e.fileName).toLowerCase(), e]));
  const streamOf = (name: string) =>
    new Promise<Readable>((resolve, reject) => {
      const entry = byName.get(name.toLowerCase());
      if (!entry) return reject(new AdapterError('config', `The export ZIP "${file}" has no ${name}.`));
      zip.openReadStream(entry, (error, stream) =>
        error ? reject(new AdapterError('transient', `${name} in the export ZIP "${file}" cannot be read (${error.message}).`)) : resolve(stream!));
    });
  // A run opens each file two or three times (its columns checked first); a small one, as most files
  // of a delta export are, is inflated once: opening an entry costs more than reading a few rows.
  const small = new Map<string, Promise<Buffer>>();
  return {
    where: file,
    has: (name) => byName.has(name.toLowerCase()),
    async open(name) {
      const key = name.toLowerCase();
      if ((byName.get(key)?.uncompressedSize ?? Infinity) > SMALL_ENTRY_BYTES) return streamOf(name);
      let content = small.get(key);
      if (!content) {
        content = streamOf(name).then(async (stream) => {
          const chunks: Buffer[] = [];
          try {
            for await (const chunk of stream) chunks.push(chunk as Buffer);
          } catch (error) {
            throw new AdapterError('transient', `${name} in the export ZIP "${file}" could not be read to the end (${(error as Error).message}); the next run tries again.`);
          }
          return Buffer.concat(chunks);
        });
        small.set(key, content);
        content.catch(() => small.delete(key));
      }
      return Readable.from([await content], { objectMode: false });
    },
    async fingerprint() {
      // The ZIP's own CRC-32 of each file: content, not time stamps.
      const hash = createHash('sha256');
      for (const [name, e] of [...byName].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${name}\u0000${e.uncompressedSize}\u0000${e.crc32}\n`);
      return hash.digest('hex').slice(0, 32);
    },
    close: () => zip.close(),
  };
}
