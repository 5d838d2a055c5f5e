import { fileURLToPath } from "node:url";

/** A file of the vega-datasets npm package (real data that nobody on this project wrote). */
export function vegaData(name: string): string {
  return fileURLToPath(new URL(`../node_modules/vega-datasets/data/${name}`, import.meta.url));
}
