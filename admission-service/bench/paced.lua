-- wrk script: POST the AdmissionReview in $BODY at a fixed total rate of $RATE requests/s.
-- Run with -t$THREADS: each wrk thread has its own Lua state and paces its connections at RATE/THREADS. Request k of
-- a thread is due at start + k * interval; wrk waits until then before sending (delay() below). When an answer comes
-- back late, the next request goes out at once and the schedule restarts from now (no burst to catch up).
-- wrk measures each latency from the moment the request is written, so the pacing wait is never counted.
-- done() prints one "rate-result:" line with the achieved rate and p50/p90/p99/p99.9/max.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } grantflow_timespec;
int clock_gettime(int clock_id, grantflow_timespec *tp);
]]
local ts = ffi.new("grantflow_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.body = f:read("*a")
f:close()

local rate = tonumber(os.getenv("RATE") or "2000")
local interval, due

function init(args)
  -- each wrk thread runs its own Lua state, shared by its connections: the thread as a whole is paced
  interval = 1000 * tonumber(os.getenv("THREADS") or "1") / rate
end

function delay()
  local now = now_ms()
  if due == nil then due = now end
  due = due + interval
  local wait = due - now
  if wait < 0 then due = now; return 0 end
  return math.floor(wait)
end

function done(summary, latency, requests)
  io.write(string.format("rate-result: %d requests in %.1f s = %.0f req/s; p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms; errors %d status, %d timeout\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.errors.status, summary.errors.timeout))
end
