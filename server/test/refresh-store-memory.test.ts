import { MemoryRefreshStore } from "../src/state/refresh-store-memory.js";
import { refreshStoreContract } from "./contracts/refresh-store.contract.js";

refreshStoreContract("MemoryRefreshStore", async (options) => new MemoryRefreshStore(options));
