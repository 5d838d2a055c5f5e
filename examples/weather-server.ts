// A stand-in for a real weather API: a node:http server on 127.0.0.1 that answers
// GET /weather/<IATA> with a JSON observation after 20-50 ms, like a remote service would.
// The answers are made up but deterministic (a hash of the airport code), so runs repeat.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Weather {
  airport: string;
  temp_c: number;
  wind_kph: number;
  sky: string;
}

export interface WeatherServer {
  /** e.g. "http://127.0.0.1:40123" */
  url: string;
  /** Requests answered so far. */
  readonly requests: number;
  close(): Promise<void>;
}

const SKIES = ["clear", "few clouds", "overcast", "rain", "fog", "thunderstorms", "snow"];

/** FNV-1a: a small, stable hash so one airport always gets the same weather and delay. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function weatherFor(airport: string): { weather: Weather; delayMs: number } {
  const h = hash(airport);
  return {
    weather: {
      airport,
      temp_c: ((h % 450) - 100) / 10, // -10.0 .. 34.9
      wind_kph: (h >>> 9) % 60,
      sky: SKIES[(h >>> 15) % SKIES.length]!,
    },
    delayMs: 20 + ((h >>> 20) % 31), // 20-50 ms
  };
}

export async function startWeatherServer(): Promise<WeatherServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    const match = /^\/weather\/([A-Za-z0-9]{3,4})$/.exec(req.url ?? "");
    if (!match) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `no such resource: ${req.url}` }));
      return;
    }
    requests++;
    const { weather, delayMs } = weatherFor(match[1]!.toUpperCase());
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(weather));
    }, delayMs);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive; drop them so close() does not wait for their timeout.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
