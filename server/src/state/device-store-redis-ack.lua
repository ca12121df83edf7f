-- Moves a device's acked position forward only (same epoch and a higher seq, or another epoch)
-- and records the sync, in one script: acks for one device may arrive at several hubs at once,
-- and a compare-then-set from the client could move the cursor backwards.
-- KEYS[1] the device hash
-- ARGV[1] epoch, ARGV[2] seq, ARGV[3] events acked, ARGV[4] ack time (ISO 8601)
-- ARGV[5] the app type of a device created here, ARGV[6] the position's ledger watermark or 
-- Returns { 1 if moved else 0, HGETALL of the device }.
redis.call('HSETNX', KEYS[1], 'appType', ARGV[5])
redis.call('HSETNX', KEYS[1], 'models', '[]')
local acked = redis.call('HMGET', KEYS[1], 'ackedEpoch', 'ackedSeq')
local moved = not acked[1] or acked[1] ~= ARGV[1] or tonumber(ARGV[2]) > tonumber(acked[2])
if moved then
  redis.call('HSET', KEYS[1], 'ackedEpoch', ARGV[1], 'ackedSeq', ARGV[2], 'lastSyncTime', ARGV[4],
    'lastEventCount', ARGV[3])
  if ARGV[6] == '' then
    redis.call('HDEL', KEYS[1], 'ackedLedger')
  else
    redis.call('HSET', KEYS[1], 'ackedLedger', ARGV[6])
  end
  redis.call('HINCRBY', KEYS[1], 'syncCount', 1)
  redis.call('HINCRBY', KEYS[1], 'totalEventsSynced', ARGV[3])
end
return { moved and 1 or 0, redis.call('HGETALL', KEYS[1]) }
