import { execSync } from 'node:child_process';
import { cpus } from 'node:os';

/** One row of the results table. */
export interface Figure {
  figure: string;
  outpace: string;
  baseline: string;
  ratio: string;
  target: string;
  /** Whether the target is met; null where the row has no target. */
  met: boolean | null;
}

export function rate(count: number, ms: number): string {
  return `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;
}

export function ratioOf(outpace: number, baseline: number): string {
  return `${(outpace / baseline).toFixed(2)}x`;
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

export function machine(redisVersion: string): string[] {
  const cores = cpus();

  return [
    `- CPU: ${cores[0]?.model ?? 'unknown'}, ${cores.length} cores`,
    `- Node ${process.version}, Redis ${redisVersion} (private redis-server, no persistence)`,
    `- OS: ${execSync('uname -sr').toString().trim()}`,
  ];
}

export function table(figures: Figure[]): string {
  const header = '| figure | Outpace | baseline | ratio | target | met |';
  const rows = figures.map((row) =>
    [row.figure, row.outpace, row.baseline, row.ratio, row.target, metText(row.met)].join(' | '),
  );

  return [header, '| --- | --- | --- | --- | --- | --- |', ...rows.map((row) => `| ${row} |`)].join(
    '\n',
  );
}

function metText(met: boolean | null): string {
  if (met === null) {
    return '-';
  }

  return met ? 'yes' : '**no**';
}
