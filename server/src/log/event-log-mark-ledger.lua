-- Marks that ledger rows up to ARGV[1] (zero-padded to 16 digits, so that the lexical order of
-- equal-seq marks is numeric) are in the log at or before the head, unless a mark is as high;
-- the first mark is also where the log holds the ledger from (meta.from).
--   KEYS[1] seq, KEYS[2] marks (sorted set, score = head seq when marked), KEYS[3] meta
-- Marks rise with seqs, so the last member is the highest one.
local last = redis.call('ZRANGE', KEYS[2], -1, -1)[1]
if last and tonumber(last) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[2], redis.call('GET', KEYS[1]) or 0, ARGV[1])
redis.call('HSETNX', KEYS[3], 'from', (string.gsub(ARGV[1], '^0+(%d)', '%1')))
return 1
