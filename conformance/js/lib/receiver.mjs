// The suite's webhook receiver: a local HTTP server whose every POST body goes to the official
// SDK's `webhooks.process()`, with a typed handler registered for each of the module's events.
// It answers 200 when the SDK accepts the delivery and 401 when it refuses it, and remembers both.

import { createServer } from 'node:http';

import { eventHandlers, webhookClient } from './wix-clients.mjs';

/** A running receiver: `url`, what reached the handlers, every delivery, and `stop()`. */
export class WebhookReceiver {
  /** Handler calls, in order: `{ handler, eventType, event }` (`event` as the SDK gave it). */
  events = [];
  /** Every POST, in order: `{ body, accepted, error? }`. */
  deliveries = [];
  #server;
  #client;

  /** Starts listening on a free local port; `verify()` must be called before deliveries come. */
  static async start() {
    const receiver = new WebhookReceiver();
    receiver.#server = createServer((request, response) => receiver.#serve(request, response));
    await new Promise((resolve) => receiver.#server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The URL deliveries are posted to. */
  get url() {
    const { port } = this.#server.address();
    return `http://127.0.0.1:${port}/webhooks`;
  }

  /** Verifies deliveries from now on with the SDK: app `appId`, its `publicKey` (PEM). */
  verify({ appId, publicKey }) {
    const client = webhookClient({ appId, publicKey });
    for (const { name, eventType } of eventHandlers()) {
      client.orderPaymentRequests[name]((event) => {
        this.events.push({ handler: name, eventType, event });
      });
    }
    this.#client = client;
  }

  /** The handler calls for entity `entityId` (by the event's `metadata.entityId`). */
  eventsFor(entityId) {
    return this.events.filter(({ event }) => event?.metadata?.entityId === entityId);
  }

  /** Stops listening. */
  async stop() {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #serve(request, response) {
    const chunks = [];
    for await (const chunk of request) {
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    if (request.method !== 'POST' || this.#client === undefined) {
      this.deliveries.push({ body, accepted: false, error: 'not ready or not a POST' });
      response.writeHead(503).end();
      return;
    }
    try {
      await this.#client.webhooks.process(body);
      this.deliveries.push({ body, accepted: true });
      response.writeHead(200).end();
    } catch (error) {
      this.deliveries.push({ body, accepted: false, error: String(error?.message ?? error) });
      response.writeHead(401, { 'content-type': 'text/plain' }).end(String(error?.message));
    }
  }
}
