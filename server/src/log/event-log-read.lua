-- The second step of readSince, once continuity was checked: the events with ARGV[2] < seq <=
-- ARGV[3] in any of the index sorted sets, in seq order, with the ledger rows known for them,
-- and the last trimmed seq now (the caller checks again that nothing it needs was trimmed in
-- between). Nil when the epoch is no longer ARGV[1]: Redis lost the log in between.
--   KEYS[1] epoch, KEYS[2] events, KEYS[3] ledger, KEYS[4] meta, KEYS[5..] indexes
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return false
end
local seen, seqs = {}, {}
for i = 5, #KEYS do
  for _, seq in ipairs(redis.call('ZRANGEBYSCORE', KEYS[i], '(' .. ARGV[2], ARGV[3])) do
    if not seen[seq] then
      seen[seq] = true
      seqs[#seqs + 1] = tonumber(seq)
    end
  end
end
table.sort(seqs)
local events, ledger = rowsOf(seqs)
return { tonumber(redis.call('HGET', KEYS[4], 'trimmedThrough') or '0'), events, ledger }
