-- A catch-up filled in every ledger row in (ARGV[1], from]: the log holds the ledger from
-- ARGV[1] on. Only ever lower; nothing before the first mark.
--   KEYS[1] meta
local from = redis.call('HGET', KEYS[1], 'from')
if from and tonumber(ARGV[1]) < tonumber(from) then
  redis.call('HSET', KEYS[1], 'from', ARGV[1])
  return 1
end
return 0
