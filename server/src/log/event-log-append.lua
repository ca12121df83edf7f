-- Appends a batch of events, each exactly as if appended alone, in order: dedupe (against the
-- log and the batch's earlier events), position, storage, indexes, trimming and publication in
-- one step, so that a reader who subscribes first and reads history second merges the two by
-- seq without a gap, and a page of pulled rows costs one round trip, not one per row. Runs
-- after event-log-trim.lua (its KEYS[1..8] and ARGV[1..5]), plus:
--   KEYS[9] dedupe (hash key -> seq), KEYS[10] dedupe expiry (sorted set, score = expiry ms),
--   KEYS[11] record versions (hash "model:id" -> "<version>|<1 for an unlink, else 0>"),
--   KEYS[12] their expiry (sorted set, score = expiry ms; kept as the dedupe keys are),
--   KEYS[13..] the model and user indexes the batch's events go to, and their per-record
--   companions (latest:model:<m>, latest:user:<uid>): declared for Redis Cluster, and built
--   below from the key base as trimming builds them (same names, same slot)
--   ARGV[6] dedupe window (ms), ARGV[7] channel, ARGV[8] most dedupe keys kept, ARGV[9] most
--   stamps per content key, then ITEM_WIDTH values per event from ARGV[10]: +0 the draft's
--   JSON, +1 the entry's JSON ({at, model, uids, history?}), +2 the uids' JSON, +3 the draft's ledger row or '', +4 '1' for a history event (stored,
--   deduped, indexed by ledger row, never published), +5 the ledger row every row up to which is
--   in the log with this event (zero-padded) or '', +6 the dedupe row keys' JSON array, +7 the
--   content key or '', +8 the record ("model:id"), +9 its version (record-versions.ts) or '',
--   +10 '1' for an unlink, +11 the content's stamped second, +12 how many seconds apart the
--   same content is the same change
-- A row key's value is the seq of its event; a content key's is its stamps in the window,
-- "<second>:<seq>:<expiry ms>" joined by ',' (dedupe-window.ts keeps the same in memory).
-- Every event that is not stale (nor history) becomes its record's latest in the per-record
-- indexes; meta.latestFrom is the first seq appended since they are kept (a log older than them
-- is read whole by a compacted read). The batch's events that are not history are published
-- as one message on ARGV[7], a JSON array of {storedAt, uids, previous, event} in seq order,
-- `previous` being the seq of the live event before (history takes seqs but is never live):
-- meta.live keeps the last one (a log from before it was kept takes seq - 1, as then).
-- Returns, per event in order, {'duplicate', key} or {'appended', seq, cursor, '1' if stale
-- else '', previous or '' for history}.
local DEDUPE, EXPIRY, VERSIONS, VERSIONS_EXPIRY = KEYS[9], KEYS[10], KEYS[11], KEYS[12]
local DEDUPE_MS, CHANNEL, MAX_KEYS = tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
local MAX_STAMPS = tonumber(ARGV[9])
local FIRST_ITEM, ITEM_WIDTH = 10, 13
if (#ARGV - FIRST_ITEM + 1) % ITEM_WIDTH ~= 0 then
  return redis.error_reply('ERR event-log-append: arguments are not whole events')
end
-- Lowering the cap must not block Redis: the excess goes at most this many keys per event.
local EVICT_BATCH = 1000

-- Forgets what expired: NOW is one instant for the whole batch, so once is enough.
local function expire(set, hash)
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', set, '-inf', NOW)) do
    redis.call('HDEL', hash, key)
  end
  redis.call('ZREMRANGEBYSCORE', set, '-inf', NOW)
end

-- Past the cap, forgets the members that expire first (those remembered longest ago). `count`
-- is the set's size, kept by the caller (ZCARD once per batch, then ZADD's answers), so that an
-- event under the cap costs no call here; returns the size after.
local function evictOverCap(set, hash, count)
  local over = math.min(count - MAX_KEYS, EVICT_BATCH)
  if over <= 0 then
    return count
  end
  for _, key in ipairs(redis.call('ZRANGE', set, 0, over - 1)) do
    redis.call('HDEL', hash, key)
  end
  redis.call('ZREMRANGEBYRANK', set, 0, over - 1)
  return count - over
end

expire(EXPIRY, DEDUPE)
expire(VERSIONS_EXPIRY, VERSIONS)
local dedupeCount, versionsCount = redis.call('ZCARD', EXPIRY), redis.call('ZCARD', VERSIONS_EXPIRY)
-- Nothing but this script changes the epoch or the last mark while it runs: read them once (the
-- epoch at the first event appended, as a batch of duplicates starts none).
local epoch, latestNoted, fromNoted, lastLive
local published = {}
local lastPadded = redis.call('ZRANGE', K.marks, -1, -1)[1]
local mark = lastMark()

-- A pull copy of a pushed change tells the logged event which ledger row it is.
local function duplicate(key, seen, ledgerId)
  if ledgerId ~= '' and redis.call('HEXISTS', K.events, seen) == 1 then
    redis.call('HSETNX', K.ledger, seen, ledgerId)
  end
  return { 'duplicate', key }
end

local function appendOne(at)
  local ledgerId, history, coverage = ARGV[at + 3], ARGV[at + 4] == '1', ARGV[at + 5]
  local rows, content = cjson.decode(ARGV[at + 6]), ARGV[at + 7]
  local second, within = tonumber(ARGV[at + 11]), tonumber(ARGV[at + 12])
  local fields = { unpack(rows) }
  if content ~= '' then
    table.insert(fields, content)
  end
  local values = #fields > 0 and redis.call('HMGET', DEDUPE, unpack(fields)) or {}
  for i, row in ipairs(rows) do
    if values[i] then
      return duplicate(row, values[i], ledgerId)
    end
  end
  -- The content's stamps still in the window: the same content stamped `within` apart matches.
  local stamps = {}
  if content ~= '' and values[#rows + 1] then
    for s, seen, expiry in string.gmatch(values[#rows + 1], '(-?%d+):(%d+):(%d+)') do
      if tonumber(expiry) > NOW then
        if math.abs(tonumber(s) - second) <= within then
          return duplicate(content, seen, ledgerId)
        end
        table.insert(stamps, s .. ':' .. seen .. ':' .. expiry)
      end
    end
  end

  -- A change reaching the log after a newer version of its record is logged, marked stale.
  local record, version = ARGV[at + 8], ARGV[at + 9]
  local unlink = ARGV[at + 10] == '1' and '1' or '0'
  local stale = false
  if version ~= '' then
    local known = redis.call('HGET', VERSIONS, record)
    if known then
      local newest, wasUnlink = string.match(known, '^(.*)|(%d)$')
      stale = version < newest or (version == newest and wasUnlink == '1' and unlink == '0')
    end
    if not stale then
      redis.call('HSET', VERSIONS, record, version .. '|' .. unlink)
      versionsCount = versionsCount + redis.call('ZADD', VERSIONS_EXPIRY, NOW + DEDUPE_MS, record)
      versionsCount = evictOverCap(VERSIONS_EXPIRY, VERSIONS, versionsCount)
    end
  end

  epoch = epoch or epochOrStart()
  local seq = redis.call('INCR', K.seq)
  if not latestNoted then
    redis.call('HSETNX', K.meta, 'latestFrom', seq)
    latestNoted = true
  end
  local entryJson = ARGV[at + 1]
  local entry = cjson.decode(entryJson)
  if coverage ~= '' and (not lastPadded or tonumber(coverage) > tonumber(lastPadded)) then
    redis.call('ZADD', K.marks, seq, coverage)
    lastPadded = coverage
    mark = (string.gsub(coverage, '^0+(%d)', '%1'))
    fromNoted = fromNoted or redis.call('HSETNX', K.meta, 'from', mark)
  end
  local cursor = epoch .. '-' .. seq .. (mark and ('-' .. mark) or '')
  -- The draft's JSON is extended, never re-encoded: cjson would round numbers and turn [] into {}.
  local event = string.sub(ARGV[at], 1, -2) .. ',"seq":' .. seq .. ',"cursor":"' .. cursor .. '"'
    .. (stale and ',"stale":true}' or '}')
  redis.call('HSET', K.events, seq, event)
  redis.call('HSET', K.entries, seq, entryJson)
  if ledgerId ~= '' then
    redis.call('HSET', K.ledger, seq, ledgerId)
  end
  if history then
    redis.call('ZADD', K.history, ledgerId, seq)
  else
    redis.call('ZADD', BASE .. 'model:' .. entry.model, seq, seq)
    for _, uid in ipairs(entry.uids) do
      redis.call('ZADD', BASE .. 'user:' .. uid, seq, seq)
    end
    if not stale then
      redis.call('ZADD', BASE .. 'latest:model:' .. entry.model, seq, record)
      for _, uid in ipairs(entry.uids) do
        redis.call('ZADD', BASE .. 'latest:user:' .. uid, seq, record)
      end
    end
  end
  local remembered, scored = {}, {}
  for _, row in ipairs(rows) do
    table.insert(remembered, row)
    table.insert(remembered, seq)
    table.insert(scored, NOW + DEDUPE_MS)
    table.insert(scored, row)
  end
  if content ~= '' then
    table.insert(stamps, ARGV[at + 11] .. ':' .. seq .. ':' .. (NOW + DEDUPE_MS))
    local first = math.max(1, #stamps - MAX_STAMPS + 1)
    table.insert(remembered, content)
    table.insert(remembered, table.concat(stamps, ',', first))
    table.insert(scored, NOW + DEDUPE_MS)
    table.insert(scored, content)
  end
  if #remembered > 0 then
    redis.call('HSET', DEDUPE, unpack(remembered))
    dedupeCount = dedupeCount + redis.call('ZADD', EXPIRY, unpack(scored))
  end
  dedupeCount = evictOverCap(EXPIRY, DEDUPE, dedupeCount)
  -- Trimmed after each event, as separate appends would be: what a later event of the batch
  -- finds (a duplicate's logged event, the ledger row it learns) is what it would find then.
  trim(seq)
  local previous = ''
  if not history then
    previous = lastLive or tonumber(redis.call('HGET', K.meta, 'live') or (seq - 1))
    lastLive = seq
    -- storedAt: the log's clock as the caller sent it (a Lua number would print in exponent form).
    table.insert(published, '{"storedAt":' .. ARGV[2] .. ',"uids":' .. ARGV[at + 2]
      .. ',"previous":' .. previous .. ',"event":' .. event .. '}')
  end
  -- The caller has the draft: it builds the event from it, with no event JSON to send or parse.
  return { 'appended', tostring(seq), cursor, stale and '1' or '', tostring(previous) }
end

local results = {}
for at = FIRST_ITEM, #ARGV, ITEM_WIDTH do
  results[#results + 1] = appendOne(at)
end
saveTrim()
-- One message for the batch, its events in seq order: one publication per page, not per row.
if #published > 0 then
  redis.call('HSET', K.meta, 'live', lastLive)
  redis.call('PUBLISH', CHANNEL, '[' .. table.concat(published, ',') .. ']')
end
return results
