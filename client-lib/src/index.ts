export { connect, type OdooLiveClient } from "./client.js";
export type { ClientEventName, ClientEvents } from "./client-events.js";
export { OdooLiveError, type ClientErrorCode, type ClientErrorInfo } from "./errors.js";
export { OdooSession, type OdooSessionOptions, type SessionInfo } from "./odoo-session.js";
export type { AppType, ConnectOptions, TokenRequest, TokenSource } from "./options.js";
export { RecordView } from "./record-view.js";
export type { BackoffOptions } from "@odoo-live/protocol";
export { cursorKey, localStorageStorage, memoryStorage, type CursorStorage } from "./storage.js";
