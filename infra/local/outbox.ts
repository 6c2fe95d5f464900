import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '#ports/clock';
import type { SmsSender } from '#ports/sms';

/**
 * The local stand-in for SNS SMS, behind the same port: messages are kept (and appended to a
 * JSON-lines file under DATA_DIR when set) and served at GET /_local/outbox.
 */
export interface OutboxMessage {
  to: string;
  text: string;
  at: string;
}

export class Outbox implements SmsSender {
  private readonly messages: OutboxMessage[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.messages.push(JSON.parse(line) as OutboxMessage);
    }
  }

  async send(to: string, text: string): Promise<void> {
    const message = { to, text, at: this.clock.now().toISOString() };
    this.messages.push(message);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(message)}\n`);
    }
  }

  /** Oldest first; only one recipient's when `to` is given. */
  list(to?: string): OutboxMessage[] {
    return this.messages.filter((m) => to === undefined || m.to === to);
  }
}
