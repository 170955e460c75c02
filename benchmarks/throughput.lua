-- wrk script of benchmarks/throughput_benchmark.py: one request kind per wrk process, so each
-- kind's latency is its own. Settings come from the environment the benchmark sets:
--   THROUGHPUT_KIND    list | show | search | create
--   THROUGHPUT_TOKEN   bearer token (reads: a bureau's; create: a clerk's)
--   THROUGHPUT_IDS     file of asset ids, one a line (show)
--   THROUGHPUT_ORG     the clerk's organisation id (create)
--   THROUGHPUT_SEED    makes the created names unique across processes and rounds
--   THROUGHPUT_OUT     file the latency histogram and the error counts are written to
--   THROUGHPUT_THINK   a user's pause before each request, ms (random 0–2× this; 0: none)
local kind = os.getenv("THROUGHPUT_KIND")
local token = os.getenv("THROUGHPUT_TOKEN")
local seed = os.getenv("THROUGHPUT_SEED") or "0"
local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
local ids = {}
local n = 0

-- list: the first page, and the filters a user sets (state, a card's number, a name's beginning)
local lists = {
  "/api/v1/asset/?q=(page_size:25)",
  "/api/v1/asset/?q=(filters:!((col:status,opr:eq,value:idle)),page_size:25)",
  "/api/v1/asset/?q=(filters:!((col:number,opr:eq,value:BENCH-00%06d)),page_size:25)",
  "/api/v1/asset/?q=(filters:!((col:name,opr:sw,value:%%E5%%9F%%BA%%E5%%87%%86%%E8%%B5%%84%%E4%%BA%%A7%d)),page_size:25)",
}
-- search: a rare word, a number's prefix (~1,000 matches), a name that is not there
local searches = {
  "/api/v1/search/?text=%%E8%%AE%%A1%%E7%%AE%%97%%E6%%9C%%BA",             -- 计算机
  "/api/v1/search/?text=%%E5%%9F%%BA%%E5%%87%%86%%E8%%B5%%84%%E4%%BA%%A7%d", -- 基准资产<n>
  "/api/v1/search/?text=BENCH-00%d",
  "/api/v1/search/?text=%%E4%%B8%%8D%%E5%%AD%%98%%E5%%9C%%A8",             -- 不存在
}

local think = tonumber(os.getenv("THROUGHPUT_THINK") or "0")

-- a person reads a page before the next click; wrk does not count the pause in the latency
function delay()
  if think > 0 then return math.random(0, 2 * think) end
  return 0
end

function init(args)
  math.randomseed(tonumber(seed) * 7919 + os.time())
  if kind == "show" then
    for line in io.lines(os.getenv("THROUGHPUT_IDS")) do ids[#ids + 1] = line end
  end
end

function request()
  if kind == "list" then
    local i = math.random(#lists)
    local path = string.format(lists[i], i == 3 and math.random(1, 999999) or math.random(100, 999))
    return wrk.format("GET", path, headers)
  elseif kind == "show" then
    return wrk.format("GET", "/api/v1/asset/" .. ids[math.random(#ids)], headers)
  elseif kind == "search" then
    local path = string.format(searches[math.random(#searches)], math.random(1000, 9999))
    return wrk.format("GET", path, headers)
  end
  n = n + 1
  local body = string.format('{"name": "压测%s-%d", "rank": "staff", "organization_id": %s}',
                             seed, n, os.getenv("THROUGHPUT_ORG"))
  return wrk.format("POST", "/api/v1/person/", headers, body)
end

-- the histogram (microseconds, count) and the errors, for the benchmark to merge across rounds
function done(summary, latency, requests)
  local out = io.open(os.getenv("THROUGHPUT_OUT"), "w")
  local e = summary.errors
  out:write(string.format("requests %d\nduration_us %d\nstatus %d\nconnect %d\nread %d\n",
            summary.requests, summary.duration, e.status, e.connect, e.read))
  out:write(string.format("write %d\ntimeout %d\n", e.write, e.timeout))
  for i = 1, #latency do
    local value, count = latency(i)
    out:write(string.format("us %d %d\n", value, count))
  end
  out:close()
end
