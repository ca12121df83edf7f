import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { Accounts } from "./accounts.js";
import { createApp } from "./app.js";
import { recordChange } from "./changes.js";
import { Faults } from "./faults.js";
import { writeInstallRows } from "./install.js";
import { Ledger } from "./ledger.js";
import { wholeSeconds } from "./odoo-time.js";
import { SimSettings, SubscriberSettings } from "./options.js";
import { Pusher } from "./push/pusher.js";
import { accessModel, irModelModel, usersModel } from "./rpc/access-models.js";
import { syncStateModel, updateWebhookModel } from "./rpc/models.js";
import { methodsOf } from "./rpc/route.js";
import { listen, type Listening } from "./server.js";
import { SyncStates } from "./sync-states.js";
import { Timers } from "./timers.js";
import type { OdooSim, OdooSimOptions, RequestRecord } from "./types.js";
import { Users } from "./users.js";

type Settings = z.infer<typeof SimSettings>;

/** The simulated database and its background machinery. */
interface Odoo {
  settings: Settings;
  now: () => Date;
  users: Users;
  accounts: Accounts;
  ledger: Ledger;
  syncStates: SyncStates;
  faults: Faults;
  timers: Timers;
  pusher: Pusher;
  requests: RequestRecord[];
  /** Aborted on close. */
  closing: AbortController;
}

/** Starts an Odoo with the auto_webhook module, as seen over HTTP. */
export async function startOdooSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const { now = () => new Date(), ...rest } = options;
  const odoo = createOdoo(SimSettings.parse(rest), now);
  if (odoo.settings.installRows) writeInstallRows({ ...odoo, defaultActor: odoo.settings.rpc.uid });
  return simulator(odoo, await serve(odoo));
}

function createOdoo(settings: Settings, now: () => Date): Odoo {
  const users = new Users(settings.users);
  const timers = new Timers();
  return {
    settings,
    now,
    users,
    accounts: new Accounts(settings.accounts, settings.readAccess),
    ledger: new Ledger(),
    syncStates: new SyncStates(users, now),
    faults: new Faults(),
    timers,
    pusher: new Pusher(timers),
    requests: [],
    closing: new AbortController(),
  };
}

function serve(odoo: Odoo): Promise<Listening> {
  const { settings, now, users, accounts, ledger, syncStates, faults } = odoo;
  const models = new Map([
    ["update.webhook", methodsOf(updateWebhookModel(ledger, users, now))],
    ["user.sync.state", methodsOf(syncStateModel(syncStates, users))],
    ["res.users", methodsOf(usersModel(accounts))],
    ["ir.model", methodsOf(irModelModel(accounts))],
    ["ir.model.access", methodsOf(accessModel(accounts))],
  ]);
  const app = createApp({
    rest: { apiKey: settings.apiKey, now, ledger, syncStates, users, faults },
    rpc: { db: settings.db, rpc: settings.rpc, accounts, models },
    faults,
    closing: odoo.closing.signal,
  });
  const admit = (request: IncomingMessage) => {
    odoo.requests.push({ method: request.method ?? "GET", path: pathOf(request.url) });
    if (!faults.refuses()) return true;
    request.socket.destroy();
    return false;
  };
  return listen(app, { port: settings.port, host: settings.host, admit });
}

function simulator(odoo: Odoo, server: Listening): OdooSim {
  const { ledger, syncStates, pusher, now } = odoo;
  const changeDeps = { ...odoo, defaultActor: odoo.settings.rpc.uid };
  let closed: Promise<void> | undefined;
  const shutdown = async () => {
    odoo.timers.cancelAll();
    odoo.closing.abort();
    await pusher.close();
    await server.close();
  };
  return {
    url: server.url,
    port: server.port,
    change: (input) => {
      if (closed !== undefined) throw new Error("odoo-sim is closed");
      return recordChange(changeDeps, input);
    },
    subscribe: (sub) => pusher.subscribe(SubscriberSettings.parse(sub)),
    unsubscribe: () => pusher.unsubscribe(),
    runCron: () => pusher.runCron(),
    markProcessed: (ids) => void ledger.markProcessed(ids, wholeSeconds(now())),
    archive: (ids) => ledger.archive(ids, wholeSeconds(now())),
    setFault: (fault) => odoo.faults.set(fault),
    rows: () => ledger.all().map((row) => ({ ...row })),
    syncState: (userId, deviceId) => {
      const state = syncStates.find(userId, deviceId);
      return state === undefined ? undefined : { ...state };
    },
    syncStateHistory: (userId, deviceId) => syncStates.history(userId, deviceId),
    pushes: () => [...pusher.records()],
    updateAccount: (uid, patch) => odoo.accounts.update(uid, patch),
    requests: () => [...odoo.requests],
    close: () => (closed ??= shutdown()),
  };
}

function pathOf(url: string | undefined): string {
  return new URL(url ?? "/", "http://odoo-sim").pathname;
}
