/**
 * Compares the slash commands Discord holds with the definitions in the code. Discord echoes what was
 * registered and adds its own fields (id, version, application_id, nulls for unset options), so a
 * registered command matches when every field the code sets has the same value there; a field Discord
 * leaves out matches only the value it stands for (`required: false`, `type: 1`).
 */

/** Names of commands missing, different or extra (registered but no longer in the code). */
export interface CommandDrift {
  missing: string[];
  different: string[];
  extra: string[];
}

/** Fields Discord may omit in what it returns when they hold their default. */
const OMITTED_DEFAULTS: Record<string, unknown> = {
  type: 1,
  required: false,
  autocomplete: false,
  nsfw: false,
  dm_permission: true,
};

/** The drift between the code's definitions and the registered commands; all empty when in step. */
export function commandDrift(defined: readonly unknown[], registered: readonly unknown[]): CommandDrift {
  const nameOf = (command: unknown) =>
    typeof command === 'object' &&
    command !== null &&
    typeof (command as { name?: unknown }).name === 'string'
      ? (command as { name: string }).name
      : '';
  const byName = new Map(registered.map((command) => [nameOf(command), command]));
  const definedNames = new Set(defined.map(nameOf));
  const drift: CommandDrift = { missing: [], different: [], extra: [] };
  for (const command of defined) {
    const name = nameOf(command);
    const counterpart = byName.get(name);
    if (counterpart === undefined) drift.missing.push(name);
    else if (!covers(command, counterpart)) drift.different.push(name);
  }
  for (const name of byName.keys()) if (!definedNames.has(name)) drift.extra.push(name);
  return drift;
}

/** True when `actual` holds every value `wanted` sets (recursively; arrays element by element). */
function covers(wanted: unknown, actual: unknown, key?: string): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual)) return wanted.length === 0 && (actual === undefined || actual === null);
    return wanted.length === actual.length && wanted.every((item, i) => covers(item, actual[i]));
  }
  if (typeof wanted === 'object' && wanted !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(wanted).every(([k, v]) => covers(v, (actual as Record<string, unknown>)[k], k));
  }
  if (actual === undefined || actual === null) {
    if (wanted === undefined || wanted === null) return true;
    return key !== undefined && key in OMITTED_DEFAULTS && OMITTED_DEFAULTS[key] === wanted;
  }
  return wanted === actual;
}
