// A conversation's messages in `seq` order, as both clients keep them: live
// events may arrive out of order or twice, and a gap is filled from `history`.

import type { Message } from "./protocol";

export class Timeline {
  private bySeq = new Map<number, Message>();

  constructor(readonly conversationId: string) {}

  /** Adds or replaces messages; whether anything changed. */
  add(messages: Message[]): boolean {
    let changed = false;
    for (const m of messages) {
      if (m.conversation !== this.conversationId) continue;
      const old = this.bySeq.get(m.seq);
      if (!old || JSON.stringify(old) !== JSON.stringify(m)) {
        this.bySeq.set(m.seq, m);
        changed = true;
      }
    }
    return changed;
  }

  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  get newest(): number {
    let max = 0;
    for (const seq of this.bySeq.keys()) max = Math.max(max, seq);
    return max;
  }

  get oldest(): number {
    let min = Infinity;
    for (const seq of this.bySeq.keys()) min = Math.min(min, seq);
    return min === Infinity ? 0 : min;
  }

  /**
   * The `before` of a `history` request that fills the newest gap, if any.
   * Visitors do not see operators-only items, so their seqs are gaps a
   * visitor's history cannot fill; `known` lists seqs already asked about.
   */
  gapBefore(known: Set<number>): number | null {
    const seqs = [...this.bySeq.keys()].sort((a, b) => a - b);
    for (let i = seqs.length - 1; i > 0; i--) {
      const hi = seqs[i] as number;
      const lo = seqs[i - 1] as number;
      if (hi - lo > 1 && !known.has(hi)) return hi;
    }
    return null;
  }

  messages(): Message[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  update(seq: number, change: (m: Message) => Message): boolean {
    const m = this.bySeq.get(seq);
    if (!m) return false;
    this.bySeq.set(seq, change(m));
    return true;
  }
}

/** A client message id: unique per tab and attempt, stable across resends. */
export function clientMessageId(prefix: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `${prefix}-${Date.now().toString(36)}-${(random[0] ?? 0).toString(36)}${(random[1] ?? 0).toString(36)}`;
}
