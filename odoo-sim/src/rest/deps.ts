import type { Faults } from "../faults.js";
import type { Ledger } from "../ledger.js";
import type { SyncStates } from "../sync-states.js";
import type { Users } from "../users.js";
import type { EndpointDeps } from "./endpoint.js";

export interface RestDeps extends EndpointDeps {
  ledger: Ledger;
  syncStates: SyncStates;
  users: Users;
  faults: Faults;
}
