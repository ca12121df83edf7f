-- Moves devices' acked positions forward only (same epoch and a higher seq, or another epoch)
-- and records each sync, in one script: acks for one device may arrive at several hubs at once,
-- and a compare-then-set from the client could move the cursor backwards. Several acks go in one
-- call (the store group-commits them), each exactly as if alone, in order: of any tenants on one
-- Redis, of one tenant in a Cluster (one hash tag, one slot).
-- KEYS[i] the i-th ack's device hash
-- ARGV[1] the app type of a device created here, then ACK_WIDTH values per ack from ARGV[2]:
--   +0 epoch, +1 seq, +2 events acked, +3 ack time (ISO 8601), +4 the position's ledger
--   watermark or ''
-- Returns, per ack in order, { 1 if moved else 0, the acked epoch, seq and ledger watermark (or
-- '') stored after it, the device's sync count }: what the hub answers the device. Not the whole
-- device: reading it back (HGETALL) and parsing it was about a fifth of an ack's Redis CPU.
local ACK_WIDTH = 5
if #ARGV - 1 ~= #KEYS * ACK_WIDTH then
  return redis.error_reply('ERR device-store-redis-ack: arguments are not whole acks')
end
local results = {}
for i, device in ipairs(KEYS) do
  local at = 2 + (i - 1) * ACK_WIDTH
  local epoch, seq, events, time, ledger = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3],
    ARGV[at + 4]
  local known = redis.call('HMGET', device, 'ackedEpoch', 'ackedSeq', 'syncCount',
    'totalEventsSynced', 'appType', 'models', 'ackedLedger')
  -- An unreadable acked seq moves too (the ack rewrites it): comparing with it would raise, and
  -- fail every ack of the call, in every call the device joins.
  local ackedSeq = tonumber(known[2])
  local moved = not known[1] or known[1] ~= epoch or ackedSeq == nil or tonumber(seq) > ackedSeq
  -- One write for all of it: the fields an ack changes, and those of a device first seen here.
  local fields = {}
  if not known[5] then
    fields = { 'appType', ARGV[1] }
  end
  if not known[6] then
    table.insert(fields, 'models')
    table.insert(fields, '[]')
  end
  local syncCount = tonumber(known[3]) or 0
  if moved then
    syncCount = syncCount + 1
    for _, value in ipairs({ 'ackedEpoch', epoch, 'ackedSeq', seq, 'lastSyncTime', time,
      'lastEventCount', events, 'syncCount', syncCount,
      'totalEventsSynced', (tonumber(known[4]) or 0) + tonumber(events) }) do
      table.insert(fields, value)
    end
    if ledger == '' then
      if known[7] then
        redis.call('HDEL', device, 'ackedLedger')
      end
    else
      table.insert(fields, 'ackedLedger')
      table.insert(fields, ledger)
    end
  end
  if #fields > 0 then
    redis.call('HSET', device, unpack(fields))
  end
  if moved then
    results[i] = { 1, epoch, seq, ledger, tostring(syncCount) }
  else
    results[i] = { 0, known[1], known[2], known[7] or '', tostring(syncCount) }
  end
end
return results
