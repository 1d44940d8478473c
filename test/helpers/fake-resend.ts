import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Resend server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** What the fake answers to one request: a status and optional headers, or the default 200. */
export type FakeResponse = { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/** A local stand-in for the Resend HTTP API (`/emails` and `/emails/batch`). */
export interface FakeResend {
  url: string;
  requests: RecordedRequest[];
  /** Decides the answer to the n-th request (0-based); undefined means success. */
  respond: (request: RecordedRequest, index: number) => FakeResponse;
  close(): Promise<void>;
}

/** Starts the fake on a free port. Successful answers carry ids like Resend's. */
export async function startFakeResend(): Promise<FakeResend> {
  let counter = 0;
  const fake: FakeResend = {
    url: '',
    requests: [],
    respond: () => undefined,
    close: async () => {},
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: text ? JSON.parse(text) : null,
      };
      const index = fake.requests.length;
      fake.requests.push(recorded);
      const answer = fake.respond(recorded, index);
      if (answer && answer.status >= 400) {
        response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
        response.end(JSON.stringify(answer.body ?? { statusCode: answer.status, name: 'fake_error', message: `fake ${answer.status}` }));
        return;
      }
      const id = () => `fake-${++counter}`;
      const body = recorded.path.startsWith('/emails/batch')
        ? { data: (recorded.body as unknown[]).map(() => ({ id: id() })) }
        : { id: id() };
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
