/**
 * Authenticated encryption under the service's secret: a one-time code travels sealed through a
 * workflow's input, so no execution history or log ever holds it in clear.
 */
export interface Sealer {
  seal(text: string): Promise<string>;
  /** Throws when the sealed text was not made by this key or was altered. */
  unseal(sealed: string): Promise<string>;
}
