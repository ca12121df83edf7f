import { MemoryDeviceStore } from "../src/state/device-store-memory.js";
import { deviceStoreContract } from "./contracts/device-store.contract.js";

deviceStoreContract("MemoryDeviceStore", async () => new MemoryDeviceStore());
