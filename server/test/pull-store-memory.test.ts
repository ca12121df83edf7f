import { MemoryPullStore } from "../src/state/pull-store-memory.js";
import { pullStoreContract } from "./contracts/pull-store.contract.js";

pullStoreContract("MemoryPullStore", async () => new MemoryPullStore());
