-- Checks a presented secret against the device's current one and, when asked, rotates it. One
-- script, so that two uses of one secret (a device and a thief) cannot both pass: the second
-- finds another current secret and ends the chain.
-- KEYS[1] chain: the device's refresh chain (hash {secret, appType})
-- ARGV[1] presented secret (a digest), ARGV[2] next secret ('' to check only), ARGV[3] ttl in ms
-- Returns {'unknown'}, {'reused'} (the chain is ended now) or {'valid', appType}.
-- The secrets are SHA-256 digests of random tokens: comparing them with `==` leaks nothing an
-- attacker could steer (they cannot choose a digest's bytes), unlike comparing the tokens.
local stored = redis.call('HMGET', KEYS[1], 'secret', 'appType')
if not stored[1] then
  return {'unknown'}
end
if stored[1] ~= ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {'reused'}
end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'secret', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return {'valid', stored[2]}
