-- wrk script: the bench service's request mix, the same as FixedRateLoad's "api" mix:
-- in every 10 requests, 6 item reads (ids spread over 1..1000), 2 list reads, 2 order posts.
local requests = {}
local counter = 0

init = function(args)
  for i = 0, 59 do
    local slot = i % 10
    if slot == 6 or slot == 7 then
      requests[#requests + 1] = wrk.format("GET", "/api/items?limit=20")
    elseif slot >= 8 then
      local body = string.format('{"itemId":%d,"quantity":%d,"customer":"c-%d"}', 1 + (i * 37) % 1000, 1 + i % 3, i)
      requests[#requests + 1] = wrk.format("POST", "/api/orders", {["Content-Type"] = "application/json"}, body)
    else
      requests[#requests + 1] = wrk.format("GET", "/api/items/" .. (1 + (i * 7919) % 1000))
    end
  end
end

request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
