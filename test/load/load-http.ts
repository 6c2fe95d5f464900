import { Agent, request } from 'node:http';

/**
 * The load driver's HTTP client: node:http over one keep-alive agent, JSON in and out. The driver
 * shares the machine's cores with the runtime it measures, so its own cost per call counts against
 * the figures: `fetch` (undici) spent ~3.5 ms of CPU per call here, this client about a third of it
 * (docs/operations.md, "What made the local runtime fast"). Loopback HTTP only.
 */
export interface LoadReply {
  status: number;
  json: Record<string, unknown> | undefined;
}

export function loadClient(baseUrl: string) {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<LoadReply> => {
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token.trim()}`;
    if (body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.byteLength;
    }
    return new Promise((resolve, reject) => {
      const req = request({ agent, host: base.hostname, port: base.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return { send, close: () => agent.destroy() };
}
