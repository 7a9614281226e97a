/** Bounded waits for stops (Kafka Connect's awaitStop): a stop that overruns is reported, never waited for forever. */

/** True when `p` settled (resolved or rejected) within `ms`, false when the time ran out first. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
