// Runs the conformance suite: Wix's official JS SDK against the wix-opr-emulator binary.
//
//   WIX_OPR_EMULATOR=/path/to/wix-opr-emulator node run.mjs
//
// The binary defaults to the workspace's debug build. The last line printed is
// `N passed, N failed`; the exit code is 1 when any check failed.

import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { register as registerErrors } from './checks/errors.mjs';
import { register as registerOperations } from './checks/operations.mjs';
import { register as registerQueries } from './checks/queries.mjs';
import { register as registerWebhooks } from './checks/webhooks.mjs';
import { Context, suiteOrders } from './lib/context.mjs';
import { startEmulator } from './lib/emulator.mjs';
import { Suite } from './lib/harness.mjs';
import { WebhookReceiver } from './lib/receiver.mjs';
import { apiClient } from './lib/wix-clients.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const binary = resolve(here, process.env.WIX_OPR_EMULATOR ?? '../../target/debug/wix-opr-emulator');

const API_KEY = `conformance-${randomUUID()}`;
const APP_ID = randomUUID();
const SITE_ID = randomUUID();

/** Starts the receiver and the emulator, with the suite's orders added. */
async function setUp() {
  const receiver = await WebhookReceiver.start();
  let emulator;
  try {
    emulator = await startEmulator(binary, [
      '--api-key',
      API_KEY,
      '--webhook',
      receiver.url,
      '--webhook-app-id',
      APP_ID,
      // A refused delivery stays refused: the checks count handler calls.
      '--webhook-max-retries',
      '0',
    ]);
    receiver.verify({ appId: APP_ID, publicKey: await emulator.webhookPublicKey() });
    const orders = suiteOrders();
    for (const order of Object.values(orders)) {
      const response = await fetch(`${emulator.baseUrl}/_emulator/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });
      if (!response.ok) {
        throw new Error(
          `POST /_emulator/orders answered ${response.status}: ${await response.text()}`,
        );
      }
    }
    const api = apiClient(emulator.baseUrl, {
      apiKey: API_KEY,
      siteId: SITE_ID,
    }).orderPaymentRequests;
    return new Context({ api, emulator, receiver, orders, appId: APP_ID });
  } catch (error) {
    emulator?.stop();
    await receiver.stop();
    throw error;
  }
}

async function main() {
  let ctx;
  try {
    ctx = await setUp();
  } catch (error) {
    console.log(`FAIL setup: start the emulator and the webhook receiver\n       ${error.message}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const stopEmulator = () => ctx.emulator.stop();
  process.once('exit', stopEmulator);
  try {
    console.log(`emulator ${ctx.emulator.baseUrl} (${binary}), webhooks to ${ctx.receiver.url}`);
    const suite = new Suite();
    registerOperations(suite, ctx);
    registerQueries(suite, ctx);
    registerErrors(suite, ctx);
    registerWebhooks(suite, ctx);
    const { passed, failed } = await suite.run();
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    stopEmulator();
    await ctx.receiver.stop();
  }
}

process.exitCode = await main();
