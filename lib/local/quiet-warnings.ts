/**
 * The AWS SDK warns about Node 20's end of support on every start of a process that loads it; for the
 * CLI and `npm start` that is noise on every command. Every other warning is still printed.
 */
export function quietNodeVersionWarning(): void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (
      warning.name === 'NodeVersionSupportWarning' ||
      warning.message.startsWith('NodeVersionSupportWarning')
    )
      return;
    for (const listener of listeners) listener(warning);
  });
}
