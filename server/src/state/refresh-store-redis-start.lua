-- Starts a device's refresh chain anew, replacing any earlier one of the device.
-- KEYS[1] chain: the device's refresh chain (hash {secret, appType})
-- ARGV[1] secret (a digest), ARGV[2] app type, ARGV[3] ttl in ms
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'appType', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
