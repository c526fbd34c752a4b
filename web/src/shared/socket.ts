// One WebSocket to the gateway, reconnecting with backoff. Requests carry a
// `requestId` and resolve with the event that answers them (or reject with
// its `error`); every other event goes to the listeners.

import type { ActionName, EventName, EventOf, FieldsOf, ServerEvent } from "./protocol";

export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Listener = (event: ServerEvent) => void;

interface Pending {
  resolve: (event: ServerEvent) => void;
  reject: (error: Error) => void;
}

export type SocketState = "connecting" | "open" | "closed";

export interface SocketOptions {
  /** The URL to connect to now: credentials may change between attempts. */
  url: () => Promise<string> | string;
  /** Called on every open, before queued frames go out (send `hello` here). */
  onOpen: () => void;
  onState?: (state: SocketState, code?: number) => void;
  /** Whether to reconnect after a close with this code. */
  reconnect?: (code: number) => boolean;
}

export class Socket {
  private ws: WebSocket | null = null;
  private listeners: Listener[] = [];
  private pending = new Map<string, Pending>();
  private nextId = 1;
  private attempt = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: SocketOptions) {}

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  on(listener: Listener): void {
    this.listeners.push(listener);
  }

  async connect(): Promise<void> {
    this.stopped = false;
    this.options.onState?.("connecting");
    const url = await this.options.url();
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.options.onState?.("open");
      this.options.onOpen();
    };
    ws.onmessage = (e: MessageEvent) => this.receive(String(e.data));
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const [, p] of this.pending) p.reject(new ProtocolError("disconnected", "connection lost"));
      this.pending.clear();
      this.options.onState?.("closed", e.code);
      const again = this.options.reconnect ? this.options.reconnect(e.code) : true;
      if (!this.stopped && again) this.schedule();
    };
  }

  /** Closes for good (sign-out, a page leaving). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = null;
  }

  /** Drops the connection as a network failure would; it reconnects. */
  drop(): void {
    this.ws?.close(4000);
  }

  private schedule(): void {
    // Backoff with jitter, so a restarted gateway is not hit by every client at once.
    const base = Math.min(30_000, 500 * 2 ** this.attempt);
    this.attempt += 1;
    const delay = base / 2 + Math.random() * (base / 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect().catch(() => this.schedule());
    }, delay);
  }

  /** Sends a frame that expects no particular answer. */
  send<A extends ActionName>(action: A, fields: FieldsOf<A>, requestId?: string): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ action, ...fields, ...(requestId ? { requestId } : {}) }));
    return true;
  }

  /** Sends a frame and waits for the event that answers it. */
  request<A extends ActionName, N extends EventName>(
    action: A,
    fields: FieldsOf<A>,
    answer: N,
  ): Promise<EventOf<N>> {
    return new Promise((resolve, reject) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        reject(new ProtocolError("disconnected", "not connected"));
        return;
      }
      const requestId = `r${this.nextId++}`;
      this.pending.set(requestId, {
        resolve: (event) => {
          if (event.event === answer) resolve(event as EventOf<N>);
          else if (event.event === "error") reject(new ProtocolError(event.code, event.message, event.field ?? undefined));
          else resolve(event as EventOf<N>);
        },
        reject,
      });
      this.ws.send(JSON.stringify({ action, requestId, ...fields }));
    });
  }

  private receive(raw: string): void {
    let event: ServerEvent & { requestId?: string };
    try {
      event = JSON.parse(raw) as ServerEvent & { requestId?: string };
    } catch {
      return;
    }
    const id = event.requestId;
    if (id !== undefined) {
      const pending = this.pending.get(id);
      if (pending) {
        this.pending.delete(id);
        pending.resolve(event);
        // An answer is also news for the views (a welcome, an accepted view).
      }
    }
    for (const listener of this.listeners) listener(event);
  }
}
