-- Stores the tenant's first watermark unless one is stored: one script, so that the fence check
-- and the write cannot be split by another holder's acquisition.
-- KEYS[1] cursor, KEYS[2] token (the newest fencing token handed out)
-- ARGV[1] ledger id (a safe integer: exact as a Lua number), ARGV[2] fencing token
-- Returns false when fenced off, else {stored watermark, 1 if this call stored it else 0}.
if tonumber(redis.call('GET', KEYS[2])) ~= tonumber(ARGV[2]) then
  return false
end
local stored = redis.call('GET', KEYS[1])
if stored then
  return { tonumber(stored), 0 }
end
redis.call('SET', KEYS[1], ARGV[1])
return { tonumber(ARGV[1]), 1 }
