-- wrk script for bench/identifiers/warm.sh: each request resolves the next of the 1,000 handles that
-- `fabrica bench resolve --register --handles 1000` created (88.100.12/BENCH-0 … BENCH-999), anonymously.
local n = 0
request = function()
  n = (n + 1) % 1000
  return wrk.format("GET", "/api/handles/88.100.12/BENCH-" .. n)
end
