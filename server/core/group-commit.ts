/**
 * Group commit ("smart batching"): concurrent callers hand in one item each; the items that
 * gather while earlier batches are in flight are written together by one statement, and each
 * caller gets its own result once that statement has committed. Nothing waits on a timer: a
 * lone caller is sent at the next turn of the event loop (latency at low load stays that of one
 * statement), and under load one round trip serves many callers — on a machine where every
 * database round trip costs the process ~0.1 ms of CPU, that is the difference between hundreds
 * and thousands of writes per second. The technique of PostgreSQL's own WAL group commit and of
 * the LMAX disruptor's batching consumer.
 *
 * A batch that fails is retried item by item, so one bad item fails alone and its neighbours,
 * whose statement rolled back with it, are written on their own.
 *
 * A batch goes out beside one in flight only when it carries at least as many items as the batch
 * sent before it; fewer wait for the batch in flight to end and leave with what gathers meanwhile.
 * A statement costs the process and the server about the same whatever it carries, so under
 * steady load batches stay large; while the load rises (each batch larger than the last) and when
 * it is light (batches of one or two) the second statement in flight still cuts the wait. Measured
 * on the case engine against sending any waiting item beside (docs/benchmarks.md): 6–9 % more
 * lifecycles per second at 8 and 16 at once and over HTTP, with 7–15 % less CPU per lifecycle.
 * A batch in flight longer than PATIENCE_MS no longer holds the smaller ones back.
 */
/**
 * How long the batches in flight may be out before a smaller batch goes out beside them anyway: a
 * statement here takes a few milliseconds; one out for longer is waiting (on a row another
 * transaction holds, on a busy server), and the items behind it should not wait with it.
 */
const PATIENCE_MS = 25;

export interface GroupCommitOptions {
  /** Items written by one statement at most. */
  maxBatch?: number;
  /** Batches in flight at once (each on its own pooled connection). */
  maxInFlight?: number;
}

export interface KeyedOptions<I> extends GroupCommitOptions {
  /**
   * Items of one key are never in one batch nor in two batches in flight at once: a later one
   * waits for the next batch. Two batches writing the same rows could otherwise deadlock, and one
   * statement cannot change a row twice.
   */
  key?: (item: I) => string;
}

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private inFlight = 0;
  private readonly busy = new Set<string>();
  private readonly key: ((item: I) => string) | undefined;
  private scheduled = false;
  /** Items of the batch sent last: the least a batch beside one in flight must carry. */
  private lastBatch = 0;
  private lastSentAt = 0;
  private patience: NodeJS.Timeout | undefined;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /** `write` gets a batch and returns one result per item, in order, after its statement committed. */
  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    opts: KeyedOptions<I> = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.maxInFlight = opts.maxInFlight ?? 2;
    this.key = opts.key;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // requests parsed in the same turn of the event loop go together
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /**
   * Whether a batch of `n` items may go out now: always when nothing is in flight; beside a batch
   * in flight, when it is at least as large as the last one sent, or when the batches in flight
   * have been out longer than PATIENCE_MS (one waiting on a lock must not hold up the others).
   */
  private mayGo(n: number): boolean {
    if (this.inFlight === 0 || n >= this.lastBatch) return true;
    const waited = performance.now() - this.lastSentAt;
    if (waited >= PATIENCE_MS) return true;
    if (!this.patience) {
      this.patience = setTimeout(() => {
        this.patience = undefined;
        this.pump();
      }, PATIENCE_MS - waited);
      this.patience.unref();
    }
    return false;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      if (!this.mayGo(Math.min(this.queue.length, this.maxBatch))) return;
      const { batch, keys } = this.take();
      if (batch.length === 0) return; // every waiting item's key is in flight: its batch ends first
      if (!this.mayGo(batch.length)) {
        // items of keys in flight left it short: they go back, in their order, to wait
        this.queue = [...batch, ...this.queue];
        return;
      }
      this.lastBatch = batch.length;
      this.lastSentAt = performance.now();
      for (const k of keys) this.busy.add(k);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        for (const k of keys) this.busy.delete(k);
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** The next batch: the oldest items, at most maxBatch, none of whose keys is taken; and their keys. */
  private take(): { batch: Waiting<I, O>[]; keys: Set<string> } {
    const keys = new Set<string>();
    if (!this.key) return { batch: this.queue.splice(0, this.maxBatch), keys };
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    for (const w of this.queue) {
      const k = this.key(w.item);
      if (batch.length < this.maxBatch && !this.busy.has(k) && !keys.has(k)) {
        keys.add(k);
        batch.push(w);
      } else {
        rest.push(w);
      }
    }
    this.queue = rest;
    return { batch, keys };
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const out = await this.write(batch.map((w) => w.item));
      if (out.length !== batch.length) throw new Error(`group commit: ${out.length} results for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(out[i]!));
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
      // the statement rolled back as a whole: write each item alone so only the bad one fails
      for (const w of batch) await this.run([w]);
    }
  }
}
