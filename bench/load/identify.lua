-- wrk script: POST /v1/identify with mated synthetic finger probes (bench/load/load_probes), as a
-- border officer. Arguments (after --): PROBES_FILE API_KEY
local bodies = {}
local key = ""

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do bodies[#bodies + 1] = line end
  f:close()
  key = args[2]
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("POST", "/v1/identify",
                    {["Authorization"] = "Bearer " .. key, ["X-Purpose"] = "border_control",
                     ["Content-Type"] = "application/json"},
                    bodies[math.random(#bodies)])
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
                         summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
                         errors, summary.errors.status))
end
