-- Adds models to, or removes them from, a device's subscriptions: a JSON array kept as a set
-- in stored order, each model's narrowing in a `where:<model>` field (the domain's JSON text,
-- verbatim). Read-modify-write in one script, so concurrent subscribes on several hubs cannot
-- lose each other's changes. An unknown device is created, as on first sight.
-- KEYS[1] the device hash
-- ARGV[1] 'add' or 'remove'
-- ARGV[2] the app type of a device created here
-- ARGV[3] for 'add': a JSON object model -> the domain's JSON text (models without one are
--   subscribed whole); '{}' for 'remove'
-- ARGV[4..] model names
redis.call('HSETNX', KEYS[1], 'appType', ARGV[2])
local stored = redis.call('HGET', KEYS[1], 'models')
local models = stored and cjson.decode(stored) or {}
local where = cjson.decode(ARGV[3])

local named = {}
for i = 4, #ARGV do
  named[ARGV[i]] = true
  if ARGV[1] == 'add' and where[ARGV[i]] then
    redis.call('HSET', KEYS[1], 'where:' .. ARGV[i], where[ARGV[i]])
  else
    redis.call('HDEL', KEYS[1], 'where:' .. ARGV[i])
  end
end

local result, seen = {}, {}
for _, model in ipairs(models) do
  if not (ARGV[1] == 'remove' and named[model]) then
    result[#result + 1] = model
    seen[model] = true
  end
end
if ARGV[1] == 'add' then
  for i = 4, #ARGV do
    if not seen[ARGV[i]] then
      result[#result + 1] = ARGV[i]
      seen[ARGV[i]] = true
    end
  end
end

-- cjson encodes an empty table as an object.
redis.call('HSET', KEYS[1], 'models', #result == 0 and '[]' or cjson.encode(result))
return redis.call('HGETALL', KEYS[1])
