-- Sets a tenant's pull cursor if the new value is higher: one script, so that two hubs
-- advancing at once keep the maximum rather than whichever wrote last. With a fencing token,
-- refuses a token lower than the highest one seen (a deposed lease holder), else records it.
-- KEYS[1] the cursor key
-- KEYS[2] the highest fencing token seen
-- ARGV[1] ledger id (a safe integer: exact as a Lua number)
-- ARGV[2] fencing token, or '' for an unfenced advance
-- Returns -1 when fenced off, 0 when the cursor was already as high, 1 when it moved.
if ARGV[2] ~= '' then
  local fence = redis.call('GET', KEYS[2])
  if fence and tonumber(ARGV[2]) < tonumber(fence) then
    return -1
  end
  redis.call('SET', KEYS[2], ARGV[2])
end
local stored = redis.call('GET', KEYS[1])
if stored and tonumber(ARGV[1]) <= tonumber(stored) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
