export interface SmsSender {
  /** Sends one SMS to an E.164 mobile number. Throws on failure so the caller can retry. */
  send(to: string, text: string): Promise<void>;
}
