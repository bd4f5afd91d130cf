// Wix's official SDK clients of the suite: one that calls the API (API key strategy) and one
// that verifies webhooks (app strategy with the app's public key).
//
// `@wix/sdk` always builds `https://<host><path>`; its `host.apiBaseUrl` option changes the host
// but not the scheme, and the emulator speaks plain HTTP. So the API client uses the SDK's
// supported `fetch` option: a fetch that sends what the SDK addressed to
// `https://www.wixapis.com` to the emulator instead, leaving path, query, headers and body
// exactly as the SDK made them for Wix. Anything addressed elsewhere is refused.

import { ApiKeyStrategy, AppStrategy, createClient } from '@wix/sdk';
import * as orderPaymentRequests from '@wix/auto_sdk_ecom_order-payment-requests';

/** The origin Wix's SDK sends API calls to. */
export const WIX_API_ORIGIN = 'https://www.wixapis.com';

/** A `fetch` that sends requests meant for Wix's API origin to `baseUrl`. */
export function redirectingFetch(baseUrl) {
  const target = baseUrl.replace(/\/+$/, '');
  return (input, init) => {
    const url = typeof input === 'string' ? input : input.toString();
    if (!url.startsWith(`${WIX_API_ORIGIN}/`)) {
      return Promise.reject(new Error(`the SDK addressed ${url}, not ${WIX_API_ORIGIN}`));
    }
    return fetch(target + url.slice(WIX_API_ORIGIN.length), init);
  };
}

/** An SDK client calling the Order Payment Requests API of `siteId` at the emulator. */
export function apiClient(baseUrl, { apiKey, siteId }) {
  return createClient({
    auth: ApiKeyStrategy({ apiKey, siteId }),
    modules: { orderPaymentRequests },
    fetch: redirectingFetch(baseUrl),
  });
}

/** An SDK client that verifies webhooks of app `appId` with `publicKey` (PEM). */
export function webhookClient({ appId, publicKey }) {
  return createClient({
    auth: AppStrategy({ appId, publicKey }),
    modules: { orderPaymentRequests },
  });
}

/**
 * The typed event handlers the module exports (`onOrderPaymentRequestCreated`, ...), each with
 * the event type it handles, as the module itself declares them.
 */
export function eventHandlers() {
  return Object.entries(orderPaymentRequests)
    .filter(([, value]) => value?.__type === 'event-definition')
    .map(([name, value]) => ({ name, eventType: value.type }));
}
