-- Appends one event: dedupe, position, storage, indexes, trimming and publication in one step,
-- so that a reader who subscribes first and reads history second merges the two by seq without
-- a gap. Runs after event-log-trim.lua (its KEYS[1..8] and ARGV[1..5]), plus:
--   KEYS[9] dedupe (hash key -> seq), KEYS[10] dedupe expiry (sorted set, score = expiry ms),
--   KEYS[11] record versions (hash "model:id" -> "<version>|<1 for an unlink, else 0>"),
--   KEYS[12] their expiry (sorted set, score = expiry ms; kept as the dedupe keys are)
--   ARGV[6] dedupe window (ms), ARGV[7] channel, ARGV[8] the draft's JSON, ARGV[9] the entry's
--   JSON ({at, model, uids, history?}), ARGV[10] the uids' JSON, ARGV[11] the draft's ledger
--   row or '', ARGV[12] most dedupe keys kept, ARGV[13] '1' for a history event (stored,
--   deduped, indexed by ledger row, never published), ARGV[14] the ledger row every row up to
--   which is in the log with this event (zero-padded) or '', ARGV[15] the check keys' JSON
--   array, ARGV[16] the remember keys' JSON array, ARGV[17] the record ("model:id"), ARGV[18] its
--   version (record-versions.ts) or '', ARGV[19] '1' for an unlink
-- Returns {'duplicate', key} or {'appended', event JSON}.
local DEDUPE, EXPIRY = KEYS[9], KEYS[10]
local LEDGER_ID, MAX_KEYS, HISTORY = ARGV[11], tonumber(ARGV[12]), ARGV[13] == '1'
-- Lowering the cap must not block Redis: the excess goes at most this many keys per append.
local EVICT_BATCH = 1000

-- Forget the keys whose window has passed, then look for any check key.
for _, key in ipairs(redis.call('ZRANGEBYSCORE', EXPIRY, '-inf', NOW)) do
  redis.call('HDEL', DEDUPE, key)
end
redis.call('ZREMRANGEBYSCORE', EXPIRY, '-inf', NOW)
for _, check in ipairs(cjson.decode(ARGV[15])) do
  local seen = redis.call('HGET', DEDUPE, check)
  if seen then
    -- A pull copy of a pushed change tells the logged event which ledger row it is.
    if LEDGER_ID ~= '' and redis.call('HEXISTS', K.events, seen) == 1 then
      redis.call('HSETNX', K.ledger, seen, LEDGER_ID)
    end
    return { 'duplicate', check }
  end
end

-- A change reaching the log after a newer version of its record is logged, marked stale.
local VERSIONS, VERSIONS_EXPIRY, RECORD = KEYS[11], KEYS[12], ARGV[17]
local VERSION, UNLINK = ARGV[18], ARGV[19] == '1' and '1' or '0'
local stale = false
if VERSION ~= '' then
  for _, record in ipairs(redis.call('ZRANGEBYSCORE', VERSIONS_EXPIRY, '-inf', NOW)) do
    redis.call('HDEL', VERSIONS, record)
  end
  redis.call('ZREMRANGEBYSCORE', VERSIONS_EXPIRY, '-inf', NOW)
  local known = redis.call('HGET', VERSIONS, RECORD)
  if known then
    local version, unlink = string.match(known, '^(.*)|(%d)$')
    stale = VERSION < version or (VERSION == version and unlink == '1' and UNLINK == '0')
  end
  if not stale then
    redis.call('HSET', VERSIONS, RECORD, VERSION .. '|' .. UNLINK)
    redis.call('ZADD', VERSIONS_EXPIRY, NOW + tonumber(ARGV[6]), RECORD)
    local excess = math.min(redis.call('ZCARD', VERSIONS_EXPIRY) - MAX_KEYS, EVICT_BATCH)
    if excess > 0 then
      for _, record in ipairs(redis.call('ZRANGE', VERSIONS_EXPIRY, 0, excess - 1)) do
        redis.call('HDEL', VERSIONS, record)
      end
      redis.call('ZREMRANGEBYRANK', VERSIONS_EXPIRY, 0, excess - 1)
    end
  end
end

local epoch = redis.call('SET', K.epoch, ARGV[5], 'NX', 'GET') or ARGV[5]
local seq = redis.call('INCR', K.seq)
local entry = cjson.decode(ARGV[9])
local last = redis.call('ZRANGE', K.marks, -1, -1)[1]
if ARGV[14] ~= '' and (not last or tonumber(ARGV[14]) > tonumber(last)) then
  redis.call('ZADD', K.marks, seq, ARGV[14])
  redis.call('HSETNX', K.meta, 'from', (string.gsub(ARGV[14], '^0+(%d)', '%1')))
end
local mark = lastMark()
local cursor = epoch .. '-' .. seq .. (mark and ('-' .. mark) or '')
-- The draft's JSON is extended, never re-encoded: cjson would round numbers and turn [] into {}.
local event = string.sub(ARGV[8], 1, -2) .. ',"seq":' .. seq .. ',"cursor":"' .. cursor .. '"'
  .. (stale and ',"stale":true}' or '}')
redis.call('HSET', K.events, seq, event)
redis.call('HSET', K.entries, seq, ARGV[9])
if LEDGER_ID ~= '' then
  redis.call('HSET', K.ledger, seq, LEDGER_ID)
end
if HISTORY then
  redis.call('ZADD', K.history, LEDGER_ID, seq)
else
  redis.call('ZADD', BASE .. 'model:' .. entry.model, seq, seq)
  for _, uid in ipairs(entry.uids) do
    redis.call('ZADD', BASE .. 'user:' .. uid, seq, seq)
  end
end
for _, key in ipairs(cjson.decode(ARGV[16])) do
  redis.call('HSET', DEDUPE, key, seq)
  redis.call('ZADD', EXPIRY, NOW + tonumber(ARGV[6]), key)
end
-- Past the cap, forget the keys that expire first (those remembered longest ago).
local over = math.min(redis.call('ZCARD', EXPIRY) - MAX_KEYS, EVICT_BATCH)
if over > 0 then
  for _, key in ipairs(redis.call('ZRANGE', EXPIRY, 0, over - 1)) do
    redis.call('HDEL', DEDUPE, key)
  end
  redis.call('ZREMRANGEBYRANK', EXPIRY, 0, over - 1)
end
trim()
if not HISTORY then
  -- storedAt: the log's clock as the caller sent it (a Lua number would print in exponent form).
  redis.call('PUBLISH', ARGV[7],
    '{"storedAt":' .. ARGV[2] .. ',"uids":' .. ARGV[10] .. ',"event":' .. event .. '}')
end
return { 'appended', event }
