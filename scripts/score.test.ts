import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/score.ts', ...args], { encoding: 'utf8' });

describe('npm run score', () => {
  it('prints only the JSON report on stdout with --json', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/score.ts', '--samples', 'examples/samples.jsonl', '--predictions', 'examples/predictions.jsonl', '--json'], { encoding: 'utf8' });
    const report = JSON.parse(out);
    expect(report.samples).toHaveLength(7);
    expect(Object.keys(report.metrics).sort()).toEqual(['classification', 'detection', 'grounding']);
    expect(report.metrics.classification.accuracy).toBe(0.5);
    expect(report.samples[4]).toEqual({ id: 'flower-1', rewards: { format: 1, accuracy_cls: 1 } });
  });

  it('reports only the tasks present, and prints a table without --json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    writeFileSync(join(dir, 's.jsonl'), '{"id": 1, "task": "classification", "width": 10, "height": 10, "solution": "<answer>cat</answer>"}\n');
    writeFileSync(join(dir, 'p.jsonl'), '{"id": 1, "completion": "garbage"}\n');
    const json = run('--samples', join(dir, 's.jsonl'), '--predictions', join(dir, 'p.jsonl'), '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).metrics).toEqual({ classification: { accuracy: 0 } });
    const table = run('--samples', join(dir, 's.jsonl'), '--predictions', join(dir, 'p.jsonl'));
    expect(table.stdout).toContain('Classification accuracy: 0.0000');
  });

  it('exits 2 with a message naming the file and line on bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    writeFileSync(join(dir, 'p.jsonl'), '{"id": "img1-dog", "completion": ""}\n{"id": "nope", "completion": ""}\n');
    const r = run('--samples', 'examples/samples.jsonl', '--predictions', join(dir, 'p.jsonl'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('p.jsonl:2: unknown id "nope"');
    expect(r.stdout).toBe('');
    expect(run('--samples', 'missing.jsonl', '--predictions', 'x').status).toBe(2);
    expect(run('--mode', 'lenient').status).toBe(2);
  });
});
