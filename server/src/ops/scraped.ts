import { Counter, Gauge, type Registry } from "prom-client";

/** A metric whose samples are made at each scrape, from state a component keeps anyway. */
export interface ScrapedSpec<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Sets every sample; those it does not set are gone (a tenant no longer pulled drops out). */
  fill: (set: (labels: Record<L, string>, value: number) => void) => void | Promise<void>;
}

export function scrapedGauge<L extends string>(registry: Registry, spec: ScrapedSpec<L>): void {
  new Gauge({
    ...config(registry, spec),
    async collect() {
      this.reset();
      await spec.fill((labels, value) => this.set(labels as never, value));
    },
  });
}

/** A counter copied from a count that a component keeps itself (it only grows). */
export function scrapedCounter<L extends string>(registry: Registry, spec: ScrapedSpec<L>): void {
  new Counter({
    ...config(registry, spec),
    async collect() {
      this.reset();
      await spec.fill((labels, value) => this.inc(labels as never, value));
    },
  });
}

function config<L extends string>(registry: Registry, { name, help, labelNames }: ScrapedSpec<L>) {
  return { name, help, labelNames, registers: [registry] };
}
