-- History events whose ledger row is in (ARGV[1], ARGV[2]], in ledger order: their JSON and
-- their entries ({at, model, uids}) for the caller's selection.
--   KEYS[1] events, KEYS[2] entries, KEYS[3] history (sorted set, score = ledger row)
local events, entries = {}, {}
for i, seq in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. ARGV[1], ARGV[2])) do
  events[i] = redis.call('HGET', KEYS[1], seq)
  entries[i] = redis.call('HGET', KEYS[2], seq)
end
return { events, entries }
