export { RefreshTokenRequest, SignInRequest, TokenPair } from "./auth.js";
export { backoffDelay, type BackoffOptions } from "./backoff.js";
export { canonicalJson, digest, portableHash, type Hasher } from "./canonical.js";
export { ConnectErrorData, ErrorBody, ErrorCode, HttpErrorResponse } from "./errors.js";
export { Domain, DomainLeaf, DomainOperator, ModelDomains } from "./domain.js";
export { EventDraft, EventOrigin, NormalizedEvent } from "./event.js";
export { issuesOf, issuesText } from "./issues.js";
export { TokenClaims } from "./jwt.js";
export {
  eventIdentity,
  normalizeEnvelope,
  normalizePullRow,
  normalizeRawPush,
} from "./normalize.js";
export {
  OdooApiError,
  OdooHealthResponse,
  OdooMarkProcessedRequest,
  OdooMarkProcessedResponse,
  OdooPullRequest,
  OdooPullResponse,
  OdooPullRow,
  OdooSyncState,
  OdooSyncStateRequest,
  OdooSyncStateResponse,
  OdooSyncStateUpdateRequest,
} from "./odoo-api.js";
export {
  Issue,
  OdooEnvelope,
  OdooRawPush,
  OdooSubscriberTest,
  OdooWebhookMetadata,
  isConfigTest,
  parseOdooPush,
  type OdooPush,
  type PushParseResult,
} from "./odoo-push.js";
export {
  AppType,
  Category,
  ModelName,
  ModelNameList,
  OdooPayload,
  OdooTimestamp,
  Operation,
  Priority,
  odooTimeToIso,
  recordVersion,
} from "./odoo-values.js";
export { DuplicateReason, PushReply } from "./push-reply.js";
export {
  AckReply,
  AckRequest,
  AdminTest,
  AdminTestReply,
  Expired,
  HandshakeAuth,
  MAX_MODELS,
  Ready,
  RefreshReply,
  RefreshRequest,
  Replaced,
  ReadySource,
  Resync,
  ResyncReason,
  SubscribeReply,
  SubscribeRequest,
  TokenExpiring,
  type ClientToServerEvents,
  type ParsedHandshakeAuth,
  type ServerToClientEvents,
} from "./socket.js";
export { isWireMessage, type WireMessages } from "./wire-checks.js";
