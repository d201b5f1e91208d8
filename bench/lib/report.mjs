// Figures as the issue asks for them: name, value, unit, the baseline measured in the same run on the
// same machine, their ratio, and the target the ratio (or the value) is held to.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { root } from './paths.mjs';

export class Report {
  constructor(scale) {
    this.scale = scale;
    this.commit = commitOf();
    this.figures = [];
    this.notes = [];
  }

  /**
   * One figure. `baseline` is { value, what } or null; ratio = value / baseline.value. `target` says what
   * the figure is held to, and `met` is true/false (or null when there is no target).
   */
  add({ group, name, value, unit, baseline = null, target = null, met = null, detail = null }) {
    const ratio = baseline && baseline.value ? value / baseline.value : null;
    const figure = {
      group, name, value: round(value), unit,
      baseline: baseline ? { value: round(baseline.value), what: baseline.what } : null,
      ratio: ratio === null ? null : round(ratio, 3),
      target, met, detail, scale: this.scale, commit: this.commit,
    };
    this.figures.push(figure);
    process.stderr.write(`  ${line(figure)}\n`);
    return figure;
  }

  note(text) {
    this.notes.push(text);
    process.stderr.write(`  note: ${text}\n`);
  }

  table() {
    const rows = this.figures.map((f) => [
      f.group, f.name, `${fmt(f.value)} ${f.unit}`,
      f.baseline ? `${fmt(f.baseline.value)} ${f.unit} (${f.baseline.what})` : '',
      f.ratio === null ? '' : `${f.ratio}×`,
      f.target ?? '', f.met === null ? '' : f.met ? 'met' : 'MISSED',
    ]);
    const head = ['group', 'figure', 'value', 'baseline', 'ratio', 'target', ''];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const render = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
    return [render(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(render)].join('\n');
  }

  /** The same table as Markdown, for the README's figures section. */
  markdown() {
    const lines = ['| figure | value | baseline (same run) | ratio | target | |', '|---|---:|---:|---:|---|---|'];
    for (const f of this.figures) {
      lines.push(`| ${f.group}: ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.baseline ? `${fmt(f.baseline.value)} ${f.unit} (${f.baseline.what})` : ''} | ${f.ratio === null ? '' : `${f.ratio}×`} | ${f.target ?? ''} | ${f.met === null ? '' : f.met ? 'met' : '**missed**'} |`);
    }
    return lines.join('\n');
  }

  async write(startedAt) {
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.type()} ${os.release()}` };
    const body = { scale: this.scale, commit: this.commit, startedAt, finishedAt: new Date().toISOString(), machine, figures: this.figures, notes: this.notes };
    const file = path.join(root, 'bench', 'results.json');
    await fs.writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
    const markdown = path.join(root, 'bench', 'results.md');
    await fs.writeFile(markdown, `Scale ${this.scale}, commit ${this.commit}, ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}\n\n${this.markdown()}\n\n${this.notes.map((n) => `- ${n}`).join('\n')}\n`);
    return { file, markdown };
  }
}

function line(f) {
  const base = f.baseline ? `  vs ${fmt(f.baseline.value)} ${f.unit} (${f.baseline.what}) = ${f.ratio}×` : '';
  const verdict = f.met === null ? '' : f.met ? `  [met: ${f.target}]` : `  [MISSED: ${f.target}]`;
  return `${f.group} / ${f.name}: ${fmt(f.value)} ${f.unit}${base}${verdict}`;
}

function commitOf() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return 'unknown';
  }
}

export function round(value, digits = null) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 4);
  const f = 10 ** d;
  return Math.round(value * f) / f;
}

function fmt(value) {
  return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(value);
}
