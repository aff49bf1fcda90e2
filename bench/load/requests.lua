-- wrk script for bench/load/run, as a border officer. Arguments (after --): ROUTE INPUT_FILE API_KEY
--   get_profile: INPUT_FILE holds profile ids, one per line; each request GETs /v1/profiles/{id}.
--   identify:    INPUT_FILE holds JSON bodies of mated synthetic finger probes (bench/load/load_probes),
--                one per line; each request POSTs one to /v1/identify.
-- Each request picks a random line so that no cache sees the same request twice in a row.
local route = ""
local lines = {}
local key = ""

function init(args)
  route = args[1]
  assert(route == "get_profile" or route == "identify", "unknown route " .. tostring(route))
  local f = assert(io.open(args[2], "r"))
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  key = args[3]
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local line = lines[math.random(#lines)]
  local headers = {["Authorization"] = "Bearer " .. key, ["X-Purpose"] = "border_control"}
  if route == "get_profile" then return wrk.format("GET", "/v1/profiles/" .. line, headers) end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/v1/identify", headers, line)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
                         summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
                         errors, summary.errors.status))
end
