/** Whether the process that wrote a runtime file still runs (EPERM: it does, as another user's; ESRCH: gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
