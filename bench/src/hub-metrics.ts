/** Rows the hub took from pull so far (appended or recognized as duplicates), from /metrics. */
export async function pulled(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(
    /^odoo_live_events_ingested_total\{[^}]*source="pull"[^}]*\} (\d+)/gm,
  )) {
    total += Number(match[1]);
  }
  return total;
}
