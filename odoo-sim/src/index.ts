export { ChangeGenerator, type GeneratorSettings } from "./generator.js";
export { startOdooSim } from "./sim.js";
export type {
  ChangeInput,
  ChangeResult,
  EntryPath,
  Fault,
  LedgerRow,
  OdooSim,
  OdooSimOptions,
  PushRecord,
  RequestRecord,
  RpcUser,
  SimAccount,
  SubscriberConfig,
  SyncStateRow,
} from "./types.js";
