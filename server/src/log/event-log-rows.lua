-- Prepended (at load) to the scripts that answer events, whose KEYS[2] is the events hash and
-- KEYS[3] the ledger hash: the events' JSON and their ledger rows (false when unknown), in the
-- order of `seqs`.
local function rowsOf(seqs)
  local events, ledger = {}, {}
  for i, seq in ipairs(seqs) do
    events[i] = redis.call('HGET', KEYS[2], seq)
    ledger[i] = redis.call('HGET', KEYS[3], seq)
  end
  return events, ledger
end
