-- wrk script for bench/bench_http.py: every request goes out as the next of 200 people.
--
-- Environment (set by bench_http.py):
--   BENCH_PEOPLE  a file with one person a line: "<session secret> <api token> <csrf token>"
--   BENCH_MODE    bare | today | checkin | review | person
--   BENCH_OFFSET  (person mode) which line to use for every request
--   BENCH_PAUSE_MS (optional) a pause between each connection's requests
-- Each wrk thread starts at its own offset so the threads don't walk in step.

local mode = os.getenv("BENCH_MODE") or "bare"
local people = {}
for line in io.lines(os.getenv("BENCH_PEOPLE")) do
  local session, token, csrf = line:match("^(%S+)%s+(%S+)%s+(%S+)$")
  if session then
    people[#people + 1] = { session = session, token = token, csrf = csrf }
  end
end

local drafts = {
  "Haha I saw a goat today and thought of the wedding",
  "Hey! Hope the new job is going well. Did you ever finish that book?",
  "I miss you so much, can we talk about us?",
  "Saw the best street food place near the market, you'd love it",
  "Happy birthday! Hope it's a good one",
  "Why didn't you answer me? I've been waiting all night",
}

-- BENCH_PAUSE_MS > 0: each connection waits about that long (+-50%) between its requests,
-- like a person between taps, so the server runs below saturation. wrk's latencies leave
-- the pause out.
local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")
if pause > 0 then
  function delay()
    return math.random(math.floor(pause / 2), math.floor(pause * 3 / 2))
  end
end

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  threads[#threads + 1] = thread
end

local n = 0
function init(args)
  n = (tonumber(tid) or 0) * 37
  math.randomseed(n + 1)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~ ]", function(c)
    return string.format("%%%02X", string.byte(c))
  end):gsub(" ", "+"))
end

-- A word of letters spelled from k ("b", "bq", "bqz"...): distinct for every request.
local function made_up_word(k)
  local letters = {}
  repeat
    letters[#letters + 1] = string.char(97 + k % 26)
    k = math.floor(k / 26)
  until k == 0
  return table.concat(letters)
end

-- A past day, one to 360 days ago: posting for varied days replaces that day's check-in.
local function past_day(k)
  return os.date("!%Y-%m-%d", os.time() - (1 + k % 360) * 86400)
end

function request()
  n = n + 1
  if mode == "bare" then
    return wrk.format("GET", "/healthz/live")
  end
  local p
  if mode == "person" then
    p = people[tonumber(os.getenv("BENCH_OFFSET")) + 1]
  else
    p = people[(n % #people) + 1]
  end
  local cookie = "sc_session=" .. p.session .. "; sc_csrf=" .. p.csrf
  if mode == "today" or mode == "person" then
    return wrk.format("GET", "/", { ["Cookie"] = cookie })
  elseif mode == "checkin" then
    local body = string.format(
      '{"mood": %d, "emotions": ["calm", "hopeful"], "social_checks": %d, "note": "bench", "day": "%s"}',
      1 + n % 10, n % 3, past_day(n))
    return wrk.format("POST", "/api/v1/checkins", {
      ["Authorization"] = "Bearer " .. p.token,
      ["Content-Type"] = "application/json",
    }, body)
  elseif mode == "review" then
    -- What htmx sends as someone types in the first-text composer: every request a text the
    -- server has not read before (one of six drafts and a made-up last word), as when people
    -- type, so a reading kept per draft cannot flatter the figure.
    local body = "draft=" .. urlencode(drafts[(n % #drafts) + 1] .. " " .. made_up_word(n * 16 + (tonumber(tid) or 0)))
    return wrk.format("POST", "/step4/review", {
      ["Cookie"] = cookie,
      ["X-CSRF-Token"] = p.csrf,
      ["HX-Request"] = "true",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
  end
end

-- One JSON line with everything bench_http.py reads; latencies in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"mean": %.1f, "max": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
