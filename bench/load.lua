-- wrk script: each request as a signed-in person, the answers' statuses counted.
--
--   wrk -s bench/load.lua URL -- PEOPLE_FILE METHOD [BODY] [IF_NONE_MATCH]
--
-- METHOD PAGE is a GET as a browser loads a page (a reload): without the HX-Request header that
-- every other request carries, as htmx's clicks and polls do.
-- PEOPLE_FILE has one "cookie<TAB>csrf-token[<TAB>etag]" line per person (the ETag, if any, is
-- sent as If-None-Match, as an open page's poller does). wrk's threads take disjoint
-- shares of the lines and send their requests round-robin over their share, so with as many
-- people as connections the requests in flight at any moment are those of distinct people.
-- done() prints one JSON line that bench/run.py reads.

local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_number", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local people = {}
local next_person = 0
statuses = {}  -- global: done() reads it from each thread
local method, body, etag
local htmx = true

function init(args)
  local file = assert(io.open(args[1], "r"))
  method = args[2] or "GET"
  if method == "PAGE" then method, htmx = "GET", false end
  body = args[3]
  if body == "" then body = nil end
  etag = args[4]
  if etag == "" then etag = nil end
  local lines = {}
  for line in file:lines() do
    if line ~= "" then table.insert(lines, line) end
  end
  file:close()
  local share = tonumber(os.getenv("WRK_THREADS") or "1")
  for i, line in ipairs(lines) do
    if #lines < share or (i - 1) % share == thread_number then
      local cookie, token, tag = line:match("^([^\t]*)\t?([^\t]*)\t?(.*)$")
      table.insert(people, {cookie = cookie, token = token, etag = tag})
    end
  end
  assert(#people > 0, "no people for this thread")
end

function request()
  next_person = next_person % #people + 1
  local p = people[next_person]
  -- the User-Agent the people signed in with: Flask-Login's session protection compares it
  local headers = {["User-Agent"] = "indeks-bench"}
  if htmx then headers["HX-Request"] = "true" end
  if p.cookie ~= "" then headers["Cookie"] = p.cookie end
  if p.token ~= "" then headers["X-CSRFToken"] = p.token end
  local tag = (p.etag ~= "" and p.etag) or etag
  if tag then headers["If-None-Match"] = tag end
  if body then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(method, nil, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, table.concat(parts, ", ")))
end
