// Forged webhook deliveries, made from a genuine one: re-signed with a key that is not the
// app's, tampered claims under the genuine signature, or no signature at all.

import { generateKeyPairSync, sign } from 'node:crypto';

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The header and claims of a compact JWT (not verified). */
export function readJwt(jwt) {
  const [header, claims] = jwt.split('.');
  return { header: decode(header), claims: decode(claims) };
}

/** The same header and claims, signed RS256 with a freshly made key the app does not know. */
export function resignedWithStrangerKey(jwt) {
  const { header, claims } = readJwt(jwt);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The genuine header and signature over claims changed by `change(claims)`. */
export function withTamperedClaims(jwt, change) {
  const [header, , signature] = jwt.split('.');
  const { claims } = readJwt(jwt);
  return `${header}.${encode(change(claims))}.${signature}`;
}

/** The same claims with `alg: none` and an empty signature. */
export function unsigned(jwt) {
  const { header, claims } = readJwt(jwt);
  return `${encode({ ...header, alg: 'none' })}.${encode(claims)}.`;
}
