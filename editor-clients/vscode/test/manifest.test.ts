// The extension's manifest (package.json) against what the issue promised and what the code does: command titles
// as users see them in the palette, where the commands appear, a handler for every contributed command, and setting
// defaults that agree with the ones the code falls back to.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { limitNames } from '../src/core/protocol';
import { defaultSettings } from '../src/core/settings';

// This file runs from out/test/.
const root = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const { commands, menus, configuration } = manifest.contributes;

interface MenuEntry { command: string; when?: string }
const menu = (name: string): string[] => (menus[name] as MenuEntry[]).map((entry) => entry.command);
const paletteTitle = (id: string): string | undefined => {
  const command = commands.find((c: { command: string }) => c.command === id);
  return command && `${command.category}: ${command.title}`;
};

test('the six commands carry their titles exactly as promised', () => {
  assert.deepEqual(
    ['runFile', 'runSelection', 'cancelRun', 'applyChanges', 'discardChanges', 'showOutput']
      .map((name) => paletteTitle(`airlock.${name}`)),
    ['Airlock: Run File in Sandbox', 'Airlock: Run Selection in Sandbox', 'Airlock: Cancel Run',
      'Airlock: Apply Changes', 'Airlock: Discard Changes', 'Airlock: Show Output']);
});

test('run and cancel are in the editor context menu and the editor title; files run from the explorer', () => {
  for (const id of ['airlock.runFile', 'airlock.runSelection', 'airlock.cancelRun']) {
    assert.ok(menu('editor/context').includes(id), `${id} in editor/context`);
  }
  for (const id of ['airlock.runFile', 'airlock.cancelRun']) {
    assert.ok(menu('editor/title/run').includes(id), `${id} in editor/title/run`);
  }
  assert.ok(menu('explorer/context').includes('airlock.runFile'));
  // The CodeLens and status bar commands take arguments or make sense only from there.
  const hidden = (menus.commandPalette as MenuEntry[]).filter((entry) => entry.when === 'false').map((e) => e.command);
  assert.deepEqual(hidden.sort(), ['airlock.runBlock', 'airlock.runStatus']);
});

test('every contributed command has a handler, and every handler is contributed', () => {
  const source = readFileSync(resolve(root, 'src', 'extension.ts'), 'utf8');
  const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(registered, commands.map((c: { command: string }) => c.command).sort());
});

test('setting defaults in the manifest are the ones the code falls back to', () => {
  const properties = configuration.properties as Record<string, { default: unknown; properties?: object }>;
  const contributed = Object.keys(properties).map((key) => key.replace(/^airlock\./, '')).sort();
  const inCode = Object.keys(defaultSettings).filter((key) => key !== 'args').sort();
  assert.deepEqual(contributed, inCode);
  for (const key of inCode) {
    assert.deepEqual(properties[`airlock.${key}`].default, defaultSettings[key as keyof typeof defaultSettings],
      `default of airlock.${key}`);
  }
  assert.deepEqual(Object.keys(properties['airlock.limits'].properties ?? {}).sort(), [...limitNames].sort());
});
