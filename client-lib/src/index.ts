export { connect, type OdooLiveClient } from "./client.js";
export type { ClientEventName, ClientEvents } from "./client-events.js";
export { OdooLiveError, type ClientErrorCode, type ClientErrorInfo } from "./errors.js";
export type { AppType, ConnectOptions, TokenSource } from "./options.js";
export { RecordView } from "./record-view.js";
export type { BackoffOptions } from "@odoo-live/protocol";
export { cursorKey, localStorageStorage, memoryStorage, type CursorStorage } from "./storage.js";
