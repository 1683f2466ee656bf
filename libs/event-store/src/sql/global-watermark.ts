/**
 * Tracks the highest global position below which the log is final, from readings of
 * `event_store.read_watermark()` (see the migration for why a reading proves what it proves).
 *
 * A reading (lastDrawn, readerXid, xmin) says: every transaction that drew a position <=
 * lastDrawn has an xid < readerXid. Any reading whose xmin > that readerXid shows all of them
 * have ended, so every position <= lastDrawn is final. Readings may arrive in any order: the
 * condition, once true, stays true (xids are never reused), so the result is never too high.
 */
export interface WatermarkReading {
  readonly lastDrawn: number;
  readonly readerXid: bigint;
  readonly xmin: bigint;
}

interface Sample {
  readonly lastDrawn: number;
  readonly readerXid: bigint;
}

/** Merging keeps the queue short while a long transaction holds xmin back. */
const MAX_SAMPLES = 64;

export class GlobalWatermark {
  private samples: Sample[] = [];
  private final = 0;
  private highestDrawn = 0;

  /** Highest position known to be final: no event at or below it can still appear. */
  get finalPosition(): number {
    return this.final;
  }

  /** True while some drawn position is not yet known to be final: worth asking again soon. */
  get pending(): boolean {
    return this.highestDrawn > this.final;
  }

  observe(reading: WatermarkReading): number {
    this.addSample(reading.lastDrawn, reading.readerXid);
    const stillOpen: Sample[] = [];
    for (const sample of this.samples) {
      if (sample.readerXid < reading.xmin) this.final = Math.max(this.final, sample.lastDrawn);
      else stillOpen.push(sample);
    }
    this.samples = stillOpen.filter((s) => s.lastDrawn > this.final);
    return this.final;
  }

  private addSample(lastDrawn: number, readerXid: bigint): void {
    this.highestDrawn = Math.max(this.highestDrawn, lastDrawn);
    if (lastDrawn <= this.final) return;
    const last = this.samples[this.samples.length - 1];
    // An older sample with the same lastDrawn has a lower xid: it becomes final first.
    if (last && last.lastDrawn === lastDrawn && last.readerXid < readerXid) return;
    this.samples.push({ lastDrawn, readerXid });
    this.trim();
  }

  private trim(): void {
    if (this.samples.length > MAX_SAMPLES) {
      // Dropping a sample only delays the moment its positions count as final: a later
      // sample with a higher lastDrawn covers them once it is final itself.
      const dropAt = this.samples.findIndex(
        (s, i) => i > 0 && s.lastDrawn <= this.samples[i - 1]!.lastDrawn,
      );
      this.samples.splice(dropAt > 0 ? dropAt : this.samples.length - 2, 1);
    }
  }
}
