import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../lib/discord/commands/index.ts';

// The JSON `register-commands` PUTs to Discord, recorded when the definitions were split into one module
// per command (#15). A refactor must not change what members see; a deliberate change to a command
// updates this file in the same commit, so the review sees exactly what Discord will receive.
const fixture = new URL('../../fixtures/discord/registered-commands.json', import.meta.url);

describe('the registered command JSON', () => {
  it('is byte for byte the recorded body of the bulk overwrite', () => {
    // JSON.parse keeps key order, so the compact form of the fixture is the exact bytes that are sent
    // (the file itself is pretty-printed by the formatter).
    const recorded = JSON.stringify(JSON.parse(readFileSync(fixture, 'utf8')));
    expect(JSON.stringify(commands)).toBe(recorded);
  });
});
