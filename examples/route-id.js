// The demo's CPU-bound UDF. It lives in its own module because it imports node:crypto: a
// function run on worker threads is either self-contained (shipped by its source text) or,
// like this one, named by module URL and export with fromModule(). It is plain JavaScript
// (its types are in route-id.d.ts), so the worker threads import it as it is, without
// starting a TypeScript loader: that keeps their cold start short.
import { pbkdf2Sync } from "node:crypto";

/** PBKDF2 rounds per route: about 0.6 ms of SHA-256 work per call on the reference machine. */
export const ROUNDS = 4_000;

/**
 * A pseudonymous route id for publishing delay statistics without the airport codes: a
 * salted PBKDF2-SHA256 key of "ORIGIN-DEST", stretched so the ids cannot be reversed by
 * hashing every possible pair quickly. Pure CPU work, which is why it runs on workers.
 *
 * @param {string} origin
 * @param {string} destination
 * @returns {string}
 */
export function routeId(origin, destination) {
  return pbkdf2Sync(`${origin}-${destination}`, "deft-demo-salt", ROUNDS, 12, "sha256").toString(
    "base64url",
  );
}
