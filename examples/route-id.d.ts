/** PBKDF2 rounds per route. */
export declare const ROUNDS: number;
/** A pseudonymous route id: a salted PBKDF2-SHA256 key of "ORIGIN-DEST", base64url. */
export declare function routeId(origin: string, destination: string): string;
