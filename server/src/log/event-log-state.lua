-- The tenant's position state after trimming by age. Runs after event-log-trim.lua (its
-- KEYS[1..8] and ARGV[1..5]). Returns {epoch (created if missing), head seq, last trimmed seq,
-- trimmed ledger row ("inf" for unknown), the lowest ledger row the log holds from (false
-- before the first mark), the last mark (false before the first mark), the last live seq
-- (false for a log from before it was kept)}.
local epoch = epochOrStart()
trim()
saveTrim()
return {
  epoch,
  tonumber(redis.call('GET', K.seq) or '0'),
  tonumber(redis.call('HGET', K.meta, 'trimmedThrough') or '0'),
  redis.call('HGET', K.meta, 'trimmedLedger') or '0',
  redis.call('HGET', K.meta, 'from') or false,
  lastMark() or false,
  redis.call('HGET', K.meta, 'live') or false,
}
