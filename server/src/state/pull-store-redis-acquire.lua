-- Acquires or renews a tenant's pull lease: one script, so that two hubs asking at once cannot
-- both get it.
-- KEYS[1] lease: hash {holder, token}, expires with the lease
-- KEYS[2] token: the newest fencing token handed out (never expires)
-- ARGV[1] holder, ARGV[2] ttl in ms
-- Returns the fencing token, or false when another holder has the lease.
local holder = redis.call('HGET', KEYS[1], 'holder')
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('HGET', KEYS[1], 'token'))
end
if holder then
  return false
end
-- A tenant's first token is Redis's clock in microseconds (below 2^53 until the year 2255): a
-- store that lost its data (FLUSHALL, a restart without persistence) never hands out a token an
-- earlier holder may still carry, as acquisitions are far rarer than one per microsecond.
if redis.call('EXISTS', KEYS[2]) == 0 then
  local now = redis.call('TIME')
  redis.call('SET', KEYS[2], string.format('%.0f', now[1] * 1000000 + now[2]))
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token
