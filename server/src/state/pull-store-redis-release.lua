-- Deletes a tenant's pull lease only if ARGV[1] holds it (never another holder's lease).
-- KEYS[1] lease
-- ARGV[1] holder
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
