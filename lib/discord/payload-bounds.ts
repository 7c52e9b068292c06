/**
 * Bounds on a signed interaction body, checked before it is decoded or parsed into the schema. Discord's
 * own payloads are far inside them; a body outside them is refused with a 4xx instead of exhausting the
 * stack (zod validates nested options recursively) or memory.
 */

/** Discord's interaction payloads are a few kilobytes (a button click carries its message, < 64 KB). */
export const MAX_INTERACTION_BYTES = 256 * 1024;

/**
 * Objects and arrays nested deeper than this are refused. Discord nests command options one group deep
 * (FACTS B3: `data.options[group].options[subcommand].options[option]` is 9 levels from the root) and
 * message components a few levels more; 32 leaves room for fields Discord adds.
 */
export const MAX_INTERACTION_DEPTH = 32;

/**
 * True when objects and arrays in the JSON text nest deeper than `limit`. One pass over the characters,
 * skipping strings (and escapes inside them); it does not validate the JSON, JSON.parse does that next.
 */
export function nestsDeeperThan(json: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}
