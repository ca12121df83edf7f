-- Moves the tenant's watermark forward, only for the newest fencing token: one script, so that
-- two hubs advancing at once keep the maximum, and a deposed holder changes nothing.
-- KEYS[1] cursor, KEYS[2] token (the newest fencing token handed out)
-- ARGV[1] ledger id (a safe integer: exact as a Lua number), ARGV[2] fencing token
-- Returns -1 when fenced off, 0 when the watermark was already as high, 1 when it moved.
if tonumber(redis.call('GET', KEYS[2])) ~= tonumber(ARGV[2]) then
  return -1
end
local stored = redis.call('GET', KEYS[1])
if stored and tonumber(ARGV[1]) <= tonumber(stored) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
