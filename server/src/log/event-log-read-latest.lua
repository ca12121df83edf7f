-- The compacted second step of readSince (as event-log-read.lua, once continuity was checked):
-- of the selected events with ARGV[2] < seq <= ARGV[3], only each record's latest that is not
-- stale, taken from the per-record indexes the append keeps, so that the cost follows the
-- records changed, not the events (but for counting routed events, below); with how many
-- selected events it left out.
--   KEYS[1] epoch, KEYS[2] events, KEYS[3] ledger, KEYS[4] meta, KEYS[5] entries,
--   KEYS[6] the user's index, KEYS[7] its per-record index, then per subscribed model its index
--   and its per-record index (KEYS[8] and KEYS[9] for the first, and so on)
--   ARGV[1] epoch, ARGV[2] after, ARGV[3] through, ARGV[4] the models routed events may be of
--   ('*', or a JSON array), ARGV[5] the subscribed models (a JSON array, in the order of KEYS)
-- Selection is readSince's: every event of a subscribed model, and the events routed to the
-- user of the other models ARGV[4] allows. Returns nil when the epoch is no longer ARGV[1]
-- (Redis lost the log in between); 'whole' when the range starts before the per-record indexes
-- were kept (the caller reads every event and compacts them itself); else {trimmedThrough, the
-- kept events' JSON, their ledger rows, the number left out}, the events in seq order.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return false
end
local after, through = tonumber(ARGV[2]), tonumber(ARGV[3])
local latestFrom = tonumber(redis.call('HGET', KEYS[4], 'latestFrom') or '0')
if through > after and (latestFrom == 0 or latestFrom > after + 1) then
  return 'whole'
end
local low = '(' .. ARGV[2]

local subscribed, allowed = {}, nil
for _, model in ipairs(cjson.decode(ARGV[5])) do
  subscribed[model] = true
end
if ARGV[4] ~= '*' then
  allowed = {}
  for _, model in ipairs(cjson.decode(ARGV[4])) do
    allowed[model] = true
  end
end
local function routedOnly(model)
  return not subscribed[model] and (allowed == nil or allowed[model] == true)
end

local selected, seqs = 0, {}
local function keep(scored)
  for i = 2, #scored, 2 do
    seqs[#seqs + 1] = tonumber(scored[i])
  end
end
for i = 8, #KEYS, 2 do
  selected = selected + redis.call('ZCOUNT', KEYS[i], low, through)
  keep(redis.call('ZRANGEBYSCORE', KEYS[i + 1], low, through, 'WITHSCORES'))
end
-- Routed events of subscribed models were counted with their model; the others are counted
-- one by one (their model is in their entry), unless no model can be routed-only: the only part
-- of this read whose cost follows the events, and only to count what was left out.
local anyRoutedOnly = allowed == nil
for model in pairs(allowed or {}) do
  anyRoutedOnly = anyRoutedOnly or not subscribed[model]
end
if anyRoutedOnly then
  for _, seq in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], low, through)) do
    -- Model names are plain (ModelName: no quotes or escapes): a match, not a JSON decode.
    if routedOnly(string.match(redis.call('HGET', KEYS[5], seq), '"model":"([^"]*)"')) then
      selected = selected + 1
    end
  end
end
local routed = redis.call('ZRANGEBYSCORE', KEYS[7], low, through, 'WITHSCORES')
for i = 1, #routed, 2 do
  if routedOnly(string.match(routed[i], '^(.*):')) then
    seqs[#seqs + 1] = tonumber(routed[i + 1])
  end
end

table.sort(seqs)
local events, ledger = rowsOf(seqs)
return {
  tonumber(redis.call('HGET', KEYS[4], 'trimmedThrough') or '0'), events, ledger, selected - #seqs,
}
