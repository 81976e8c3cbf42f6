// Bounded waiting: every loop in the network tier has a deadline and a fixed number of rounds.
/** Sleeps without leaving a timer or process behind. */
export function sleepMs(milliseconds: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** Polls `check` every `intervalMs` until it returns a value, at most `rounds` times; undefined if never. */
export function pollFor<T>(check: () => T | undefined, rounds: number, intervalMs: number): T | undefined {
    for (let round = 0; round < rounds; round++) {
        const value = check();
        if (value !== undefined) {
            return value;
        }
        sleepMs(intervalMs);
    }
    return undefined;
}

/** The machine's clock in whole seconds, as `wg show latest-handshakes` prints it. */
export function nowSeconds(): number {
    return Math.floor(Date.now() / 1000);
}
