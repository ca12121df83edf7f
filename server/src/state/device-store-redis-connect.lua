-- Records a device connecting: creates its hash on first sight, sets its app type and, when
-- given, replaces its subscriptions. One script so that a concurrent ack or subscribe on another
-- hub cannot land between the writes and the read of the returned state.
-- KEYS[1] the device hash
-- ARGV[1] app type
-- ARGV[2] models as a JSON array (already de-duplicated), or '' to keep the stored ones
redis.call('HSET', KEYS[1], 'appType', ARGV[1])
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'models', ARGV[2])
else
  redis.call('HSETNX', KEYS[1], 'models', '[]')
end
return redis.call('HGETALL', KEYS[1])
