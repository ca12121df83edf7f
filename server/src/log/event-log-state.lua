-- The tenant's position state after trimming by age: the epoch (created if missing), the head
-- seq, the last trimmed seq, the trimmed ledger row ("inf" for unknown) and the first ledger
-- mark (nil when never marked). Runs after event-log-trim.lua (its KEYS[1..6] and ARGV[1..5]),
-- plus KEYS[7] marks.
local epoch = redis.call('SET', K.epoch, ARGV[5], 'NX', 'GET') or ARGV[5]
trim()
return {
  epoch,
  tonumber(redis.call('GET', K.seq) or '0'),
  tonumber(redis.call('HGET', K.meta, 'trimmedThrough') or '0'),
  redis.call('HGET', K.meta, 'trimmedLedger') or '0',
  redis.call('ZRANGE', KEYS[7], 0, 0)[1] or false,
}
