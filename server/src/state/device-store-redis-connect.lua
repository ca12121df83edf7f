-- Records a device connecting: creates its hash on first sight, sets its app type and, when
-- given, replaces its subscriptions and their narrowing. One script so that a concurrent ack or
-- subscribe on another hub cannot land between the writes and the read of the returned state.
-- KEYS[1] the device hash
-- ARGV[1] app type
-- ARGV[2] models as a JSON array (already de-duplicated), or '' to keep the stored ones
-- ARGV[3] with models: a JSON object model -> the domain's JSON text, kept verbatim as
--   `where:<model>` fields (cjson would turn an empty list into {})
redis.call('HSET', KEYS[1], 'appType', ARGV[1])
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'models', ARGV[2])
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 6) == 'where:' then
      redis.call('HDEL', KEYS[1], field)
    end
  end
  for model, domain in pairs(cjson.decode(ARGV[3])) do
    redis.call('HSET', KEYS[1], 'where:' .. model, domain)
  end
else
  redis.call('HSETNX', KEYS[1], 'models', '[]')
end
return redis.call('HGETALL', KEYS[1])
