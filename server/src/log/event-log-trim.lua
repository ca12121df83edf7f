-- Prepended (at load) to the scripts that trim, which share this layout:
--   KEYS[1] epoch, KEYS[2] seq, KEYS[3] events, KEYS[4] entries, KEYS[5] ledger, KEYS[6] meta,
--   KEYS[7] history, KEYS[8] marks
--   ARGV[1] key base ("<prefix>{<tenant>}:"), ARGV[2] now (ms, from the log's clock, not Redis
--   TIME), ARGV[3] retention count, ARGV[4] retention age (ms), ARGV[5] a fresh epoch, used
--   only when the tenant has none (a flushed Redis starts a new epoch, never an old one)
-- The model and user indexes (`<base>model:<name>`, `<base>user:<uid>`) and their per-record
-- companions (`<base>latest:model:<name>`, `<base>latest:user:<uid>`) are named by the entries
-- being trimmed: they are built from ARGV[1] and share the tenant's hash tag (slot).
local K = {
  epoch = KEYS[1], seq = KEYS[2], events = KEYS[3], entries = KEYS[4], ledger = KEYS[5],
  meta = KEYS[6], history = KEYS[7], marks = KEYS[8],
}
local BASE, NOW = ARGV[1], tonumber(ARGV[2])
local MAX_COUNT, MAX_AGE = tonumber(ARGV[3]), tonumber(ARGV[4])

-- Runs `command` on `key` with `values` after it, at most 1000 at a time (Lua's stack bounds
-- unpack, and trimming by age may drop thousands of events at once); hands each reply, in
-- order, to `each` when given.
local function inChunks(command, key, values, each)
  for first = 1, #values, 1000 do
    local reply = redis.call(command, key, unpack(values, first, math.min(first + 999, #values)))
    if each then
      each(reply)
    end
  end
end

-- Drops the oldest events beyond retention by count or by age, oldest first, with their index
-- entries, and keeps meta.trimmedThrough (the last seq dropped) and meta.trimmedLedger (the
-- highest ledger row among dropped events, "inf" once one had no known row). Ledger marks made
-- before the last dropped seq collapse into the last of them, which still answers for later seqs.
-- `head` is the last seq (read when not given). Only trimming changes what it reads from meta,
-- and NOW is one instant per script: what it read is kept for the script's later calls (an
-- append trims after each event of its batch), the oldest entry with it. A dropped event's
-- JSON goes at once (a duplicate later in the batch must not find it); the rest of what it
-- leaves behind is removed by saveTrim(), once per script, not once per event.
local trimmed
local function trim(head)
  head = head or tonumber(redis.call('GET', K.seq) or '0')
  trimmed = trimmed or {
    through = tonumber(redis.call('HGET', K.meta, 'trimmedThrough') or '0'),
    ledger = redis.call('HGET', K.meta, 'trimmedLedger') or '0',
    seqs = {},
    history = {},
    -- The model and user indexes and their per-record companions the dropped events were in:
    -- their members (seqs; records by their latest seq) up to `through` all go.
    indexes = {},
  }
  local through = trimmed.through
  while through < head do
    local seq = through + 1
    if trimmed.oldestSeq ~= seq then
      trimmed.oldest, trimmed.oldestSeq = cjson.decode(redis.call('HGET', K.entries, seq)), seq
    end
    local entry = trimmed.oldest
    if head - through <= MAX_COUNT and entry.at >= NOW - MAX_AGE then break end
    redis.call('HDEL', K.events, seq)
    table.insert(trimmed.seqs, seq)
    if entry.history then
      table.insert(trimmed.history, seq)
    else
      trimmed.indexes[BASE .. 'model:' .. entry.model] = true
      trimmed.indexes[BASE .. 'latest:model:' .. entry.model] = true
      for _, uid in ipairs(entry.uids) do
        trimmed.indexes[BASE .. 'user:' .. uid] = true
        trimmed.indexes[BASE .. 'latest:user:' .. uid] = true
      end
    end
    through = seq
  end
  trimmed.through = through
end

-- Stores what trim() dropped since the script began (once per script, after its last trim()):
-- the dropped events' entries, ledger rows and index members, meta.trimmedThrough and
-- meta.trimmedLedger, and the ledger marks made before the last dropped seq collapse into the
-- last of them. A per-record index loses the records whose latest event was dropped: it holds
-- only records with an event still in the log.
local function saveTrim()
  if not trimmed or #trimmed.seqs == 0 then
    return
  end
  local seqs, ledger = trimmed.seqs, trimmed.ledger
  -- HMGET answers a row per seq, nil (false) for an event whose ledger row is unknown.
  inChunks('HMGET', K.ledger, seqs, function(rows)
    for _, row in ipairs(rows) do
      if not row then
        ledger = 'inf'
      elseif ledger ~= 'inf' and tonumber(row) > tonumber(ledger) then
        ledger = row
      end
    end
  end)
  inChunks('HDEL', K.entries, seqs)
  inChunks('HDEL', K.ledger, seqs)
  if #trimmed.history > 0 then
    inChunks('ZREM', K.history, trimmed.history)
  end
  for key in pairs(trimmed.indexes) do
    redis.call('ZREMRANGEBYSCORE', key, '-inf', trimmed.through)
  end
  trimmed.ledger, trimmed.seqs, trimmed.history, trimmed.indexes = ledger, {}, {}, {}
  redis.call('HSET', K.meta, 'trimmedThrough', trimmed.through, 'trimmedLedger', ledger)
  -- By rank, in one call: a burst of pulled rows leaves a mark each, and thousands of them may
  -- age out at once (too many for unpack).
  local old = redis.call('ZCOUNT', K.marks, '-inf', trimmed.through)
  if old > 1 then
    redis.call('ZREMRANGEBYRANK', K.marks, 0, old - 2)
  end
end

-- The tenant's epoch, started with ARGV[5] when it has none (a flushed Redis starts a new one).
-- A started epoch has had no live event yet: meta.live 0 (a log from before `live` was kept has
-- none, and an append takes seq - 1 for it).
local function epochOrStart()
  local epoch = redis.call('SET', K.epoch, ARGV[5], 'NX', 'GET')
  if epoch then
    return epoch
  end
  redis.call('HSET', K.meta, 'live', 0)
  return ARGV[5]
end

-- The last ledger mark as a plain number string (marks are zero-padded), or nil.
local function lastMark()
  local mark = redis.call('ZRANGE', K.marks, -1, -1)[1]
  return mark and string.gsub(mark, '^0+(%d)', '%1')
end
