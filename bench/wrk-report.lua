-- wrk's done() hook: one machine-readable line for bench/load.ts (latencies in microseconds).
-- No per-response hook (it would slow wrk down); bench/run.ts checks each URL's answer before loading it.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
