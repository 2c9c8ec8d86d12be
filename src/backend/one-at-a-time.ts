/**
 * Runs async work one piece after the other, in the order asked for. The backend's
 * changes (hosts, settings, sync target, apply) go through one: each checks the state and
 * saves it across awaits, and two requests in one WebSocket write must not both pass a
 * check before either has saved.
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
