// The widget's package: `npm pack` of www/dist/widget lists every file a
// site needs, and the files it names exist (no network: --dry-run).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST } from './harness.mjs';

const WIDGET = join(DIST, 'widget');
const NEEDED = [
  'cape-check-widget.js', 'cape-check-engine.js', 'cape_check_csv.wasm', 'cape_check_xlsx.wasm',
  'cape-check.html', 'README.md', 'package.json', 'cape-check-widget.d.ts',
];

test('npm pack --dry-run lists the widget files', () => {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: WIDGET, encoding: 'utf8' });
  const [packed] = JSON.parse(output);
  const files = packed.files.map((file) => file.path).sort();
  assert.deepEqual(files, [...NEEDED].sort());
  const manifest = JSON.parse(readFileSync(join(WIDGET, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'cape-check-widget');
  assert.equal(manifest.private, undefined, 'the widget package is publishable');
  assert.ok(existsSync(join(WIDGET, manifest.main)));
});

test('the widget script loads its files relative to its own URL, never from a fixed host', () => {
  const script = readFileSync(join(WIDGET, 'cape-check-widget.js'), 'utf8');
  assert.match(script, /new URL\('\.', import\.meta\.url\)/);
  const code = script.replace(/^\s*\/\/.*$/gm, ''); // comments may show examples
  assert.doesNotMatch(code, /https?:\/\//, 'no absolute URL in the widget');
});
