import { MemoryLease } from "../src/state/lease-memory.js";
import { leaseContract } from "./contracts/lease.contract.js";

leaseContract("MemoryLease", async () => new MemoryLease());
