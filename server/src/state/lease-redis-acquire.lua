-- Acquires or renews a tenant's pull lease: one script, so that two hubs asking at once cannot
-- both get it.
-- KEYS[1] the lease (a hash: holder, token; expires with the lease)
-- KEYS[2] the tenant's fencing counter (never expires)
-- ARGV[1] holder, ARGV[2] ttl in ms
-- Returns the fencing token, or nil when another holder has the lease.
local holder = redis.call('HGET', KEYS[1], 'holder')
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('HGET', KEYS[1], 'token'))
end
if holder then
  return false
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token
