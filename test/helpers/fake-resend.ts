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

/** One email the fake accepted as a new delivery (a repeated idempotency key delivers nothing). */
export interface FakeDelivery {
  /** The request's Idempotency-Key header. */
  requestKey: string | undefined;
  /** The id the fake gave the email. */
  id: string;
  email: Record<string, unknown>;
}

/**
 * A local stand-in for the Resend HTTP API (`/emails` and `/emails/batch`). Like Resend, it
 * remembers the answer to each successful request with an Idempotency-Key: the same key with
 * the same body gets the original answer and delivers nothing new; the same key with another
 * body gets 409.
 */
export interface FakeResend {
  url: string;
  requests: RecordedRequest[];
  /** Emails delivered, once each: repeats of a remembered key are not here. */
  deliveries: FakeDelivery[];
  /** Decides the answer to the n-th request (0-based); undefined means success. */
  respond: (request: RecordedRequest, index: number) => FakeResponse;
  /** Milliseconds to hold the n-th answer (after the request counted and, if accepted, delivered). */
  delay: (request: RecordedRequest, index: number) => number;
  /** While set, every answer also waits for this promise: a test holds the sender mid-request until it says so. */
  hold: Promise<void> | null;
  close(): Promise<void>;
}

/** Starts the fake on a free port. Successful answers carry ids like Resend's. */
export async function startFakeResend(): Promise<FakeResend> {
  let counter = 0;
  const answered = new Map<string, { body: string; answer: unknown }>();
  const fake: FakeResend = {
    url: '',
    requests: [],
    deliveries: [],
    respond: () => undefined,
    delay: () => 0,
    hold: null,
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
      const reply = (status: number, headers: Record<string, string>, body: unknown) => {
        // A client killed mid-request is gone; the fake still counts what it accepted.
        response.on('error', () => {});
        const wait = fake.delay(recorded, index);
        void Promise.resolve(fake.hold).then(() =>
          setTimeout(() => {
            if (response.destroyed) return;
            response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
            response.end(JSON.stringify(body));
          }, wait),
        );
      };
      const answer = fake.respond(recorded, index);
      if (answer && answer.status >= 400) {
        reply(answer.status, answer.headers ?? {}, answer.body ?? { statusCode: answer.status, name: 'fake_error', message: `fake ${answer.status}` });
        return;
      }
      const key = typeof recorded.headers['idempotency-key'] === 'string' ? recorded.headers['idempotency-key'] : undefined;
      const remembered = key ? answered.get(key) : undefined;
      if (remembered) {
        if (remembered.body === text) reply(200, {}, remembered.answer);
        else reply(409, {}, { statusCode: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload.' });
        return;
      }
      const deliver = (email: unknown) => {
        const id = `fake-${++counter}`;
        fake.deliveries.push({ requestKey: key, id, email: email as Record<string, unknown> });
        return { id };
      };
      const body = recorded.path.startsWith('/emails/batch')
        ? { data: (recorded.body as unknown[]).map(deliver) }
        : deliver(recorded.body);
      if (key) answered.set(key, { body: text, answer: body });
      reply(200, {}, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}
