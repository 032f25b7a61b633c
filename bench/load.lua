-- wrk script for bench/load.sh: rotate through pages of the served site and
-- check that every response is a whole, current file while serve rebuilds.
--
-- Arguments (after `--`): the site's base path, e.g. "/" or "/docs/".
-- LOAD_RESULT (env): file that receives "errors=N" and "bad=N" so the shell
-- script can set its exit status (wrk's own exit status ignores both).

local pages = {
  "", "topics/soybeans/", "topics/rare-earths/", "topics/fentanyl-tariffs/",
  "topics/visits/", "timeline/", "sources/",
  "sources/busan-outcomes/", "sources/kl-talks/", "sources/deal-prospects/",
  "sources/progress-call/", "sources/nov24-call/",
  "style.css", "search-index.json",
}

-- setup/done run in the main Lua state, request/response in one state per
-- thread, so per-thread counters are globals read back with thread:get.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  local base = args[1] or "/"
  urls = {}
  for _, p in ipairs(pages) do table.insert(urls, base .. p) end
  -- Offset each thread so they do not request the same page in lockstep.
  n = id or 0
  bad, html, json, css = 0, 0, 0, 0
  samples, seen = "", {}
end

function request()
  n = n % #urls + 1
  return wrk.format("GET", urls[n])
end

-- wrk keeps header names as sent; axum sends them lower-case, but do not rely on it.
local function header(headers, name)
  for k, v in pairs(headers) do
    if k:lower() == name then return v end
  end
  return ""
end

-- The request that a response answers is not known here (many connections
-- share one thread state and answer out of order), so the kind of file is
-- judged from Content-Type; each kind has its own notion of "complete".
local function check(status, ctype, body)
  if status ~= 200 then return "status " .. status end
  if ctype:find("text/html", 1, true) then
    html = html + 1
    if body:sub(1, 15):lower() ~= "<!doctype html>" then return "html without doctype" end
    -- Serve appends the reload script before </body>, so </html> is the last tag.
    if not body:find("</html>", math.max(1, #body - 64), true) then return "html without </html> at the end" end
  elseif ctype:find("application/json", 1, true) then
    json = json + 1
    if body:sub(-2) ~= "]}" then return "json not ending in ]}" end
  elseif ctype:find("text/css", 1, true) then
    css = css + 1
    if #body == 0 then return "empty css" end
  else
    return "unexpected content-type"
  end
  return nil
end

function response(status, headers, body)
  local ctype = header(headers, "content-type")
  local why = check(status, ctype, body)
  if why then
    bad = bad + 1
    -- Keep the first of each kind in full detail: it is what a bug report needs.
    if not seen[why] then
      seen[why] = true
      local tail = body:sub(-160):gsub("\n", "\\n")
      samples = samples .. string.format("  %s (%s, %d bytes), tail: %s\n",
        why, ctype, #body, tail)
    end
  end
end

function done(summary, latency, requests)
  local b, h, j, c, s = 0, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    b = b + t:get("bad")
    h, j, c = h + t:get("html"), j + t:get("json"), c + t:get("css")
    s = s .. t:get("samples")
  end
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  local secs = summary.duration / 1e6
  local ms = function(us) return us / 1000 end

  io.write("\n--- load test ---\n")
  io.write(string.format("requests       %d in %.1f s (%.0f req/s, %.1f MB)\n",
    summary.requests, secs, summary.requests / secs, summary.bytes / 1e6))
  io.write(string.format("checked        %d html, %d json, %d css\n", h, j, c))
  io.write(string.format("latency ms     p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(99)), ms(latency.max)))
  io.write(string.format("errors         %d (connect %d, read %d, write %d, timeout %d, status>=400 %d)\n",
    errors, e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("bad bodies     %d\n", b))
  if s ~= "" then io.write("first bad response of each kind, per thread:\n" .. s) end

  local path = os.getenv("LOAD_RESULT")
  if path then
    local f = assert(io.open(path, "w"))
    f:write(string.format("errors=%d\nbad=%d\nrequests=%d\n", errors, b, summary.requests))
    f:close()
  end
end
