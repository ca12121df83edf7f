-- Sets a tenant's pull cursor if the new value is higher: one script, so that two hubs
-- advancing at once keep the maximum rather than whichever wrote last.
-- KEYS[1] the cursor key
-- ARGV[1] ledger id (a safe integer: exact as a Lua number)
local stored = redis.call('GET', KEYS[1])
if stored and tonumber(ARGV[1]) <= tonumber(stored) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
