import { MemoryPullCursorStore } from "../src/state/pull-cursor-store-memory.js";
import { pullCursorStoreContract } from "./contracts/pull-cursor-store.contract.js";

pullCursorStoreContract("MemoryPullCursorStore", async () => new MemoryPullCursorStore());
