-- wrk script for bench/load.py: each request takes the next (path, session cookie) pair of the
-- mix in bench/load_targets.lua, so several signed-in users' page views interleave. Each thread
-- stops after its share of the fixed request count; non-2xx responses are counted as errors.
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_usec; } bcf_timeval;
  int gettimeofday(bcf_timeval *tv, void *tz);
]]
local function now()
  local tv = ffi.new("bcf_timeval")
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end

local targets = dofile(os.getenv("BCF_LOAD_TARGETS"))
local per_thread = tonumber(os.getenv("BCF_LOAD_REQUESTS")) / tonumber(os.getenv("BCF_LOAD_THREADS"))
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = id * 7919 -- threads start at different places in the mix
  responses, errors = 0, 0
  started, finished = now(), now()
end

function request()
  counter = counter + 1
  local t = targets[(counter % #targets) + 1]
  return wrk.format("GET", t.path, { ["Cookie"] = t.cookie, ["Host"] = "127.0.0.1" })
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    errors = errors + 1
  end
  finished = now()
  if responses >= per_thread then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  -- wrk's own Requests/sec divides by the whole -d duration even when the threads stop early.
  local errs, total, first, last = 0, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    errs = errs + thread:get("errors")
    total = total + thread:get("responses")
    first = math.min(first, thread:get("started"))
    last = math.max(last, thread:get("finished"))
  end
  io.write(string.format("BCF responses=%d errors=%d seconds=%.2f rps=%.1f\n", total, errs, last - first,
                         total / (last - first)))
  for _, p in ipairs({ 50, 90, 95, 99 }) do
    io.write(string.format("BCF p%d=%.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("BCF mean=%.1f max=%.1f\n", latency.mean / 1000, latency.max / 1000))
end
