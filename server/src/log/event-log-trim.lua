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

-- A trimmed event that was its record's latest leaves the per-record index: the index holds only
-- records with a retained event, and a later event of the record has a higher score anyway.
local function forgetLatest(key, record, seq)
  if tonumber(redis.call('ZSCORE', key, record)) == seq then
    redis.call('ZREM', key, record)
  end
end

-- Drops the oldest events beyond retention by count or by age, oldest first, with their index
-- entries, and keeps meta.trimmedThrough (the last seq dropped) and meta.trimmedLedger (the
-- highest ledger row among dropped events, "inf" once one had no known row), through saveTrim().
-- Ledger marks made before the last dropped seq collapse into the last of them, which still
-- answers for later seqs.
-- `head` is the last seq (read when not given). Only trimming changes what it reads from meta,
-- and NOW is one instant per script: what it read is kept for the script's later calls (an
-- append trims after each event of its batch), the oldest entry with it.
local trimmed
local function trim(head)
  head = head or tonumber(redis.call('GET', K.seq) or '0')
  trimmed = trimmed or {
    through = tonumber(redis.call('HGET', K.meta, 'trimmedThrough') or '0'),
    ledger = redis.call('HGET', K.meta, 'trimmedLedger') or '0',
  }
  local through, ledger = trimmed.through, trimmed.ledger
  local before = through
  while through < head do
    local seq = through + 1
    if trimmed.oldestSeq ~= seq then
      trimmed.oldest, trimmed.oldestSeq = cjson.decode(redis.call('HGET', K.entries, seq)), seq
    end
    local entry = trimmed.oldest
    if head - through <= MAX_COUNT and entry.at >= NOW - MAX_AGE then break end
    local row = redis.call('HGET', K.ledger, seq)
    if not row then
      ledger = 'inf'
    elseif ledger ~= 'inf' and tonumber(row) > tonumber(ledger) then
      ledger = row
    end
    redis.call('HDEL', K.events, seq)
    redis.call('HDEL', K.entries, seq)
    redis.call('HDEL', K.ledger, seq)
    if entry.history then
      redis.call('ZREM', K.history, seq)
    else
      redis.call('ZREM', BASE .. 'model:' .. entry.model, seq)
      for _, uid in ipairs(entry.uids) do
        redis.call('ZREM', BASE .. 'user:' .. uid, seq)
      end
      if entry.record then
        forgetLatest(BASE .. 'latest:model:' .. entry.model, entry.record, seq)
        for _, uid in ipairs(entry.uids) do
          forgetLatest(BASE .. 'latest:user:' .. uid, entry.record, seq)
        end
      end
    end
    through = seq
  end
  if through > before then
    trimmed.through, trimmed.ledger, trimmed.changed = through, ledger, true
  end
end

-- Stores what trim() dropped since the script began (once per script, after its last trim(),
-- not once per dropped event): meta.trimmedThrough and meta.trimmedLedger, and the ledger marks
-- made before the last dropped seq collapse into the last of them.
local function saveTrim()
  if not (trimmed and trimmed.changed) then
    return
  end
  trimmed.changed = false
  redis.call('HSET', K.meta, 'trimmedThrough', trimmed.through, 'trimmedLedger', trimmed.ledger)
  local old = redis.call('ZRANGEBYSCORE', K.marks, '-inf', trimmed.through)
  if #old > 1 then
    redis.call('ZREM', K.marks, unpack(old, 1, #old - 1))
  end
end

-- The last ledger mark as a plain number string (marks are zero-padded), or nil.
local function lastMark()
  local mark = redis.call('ZRANGE', K.marks, -1, -1)[1]
  return mark and string.gsub(mark, '^0+(%d)', '%1')
end
