-- What every script of the cluster shares; the scripts are run with this in front of them.
-- Keys, all under the prefix ARGV[1]:
--   online        hash: name key -> "node \n session \n name \n public key", who holds each name
--   users:NODE    set: the name keys NODE holds
--   alive:NODE    NODE's heartbeat, expiring
--   nodes         sorted set: the nodes of the deployment, by last heartbeat
--   ev            the number of the last presence event
-- Channels: presence (J and L events, to every node), node:NODE (R and D, to NODE).
local p = ARGV[1]

local function parse(value)
  return string.match(value, '^([^\n]*)\n([^\n]*)\n([^\n]*)\n([^\n]*)$')
end

local function announce_join(node, name, key)
  local ev = redis.call('INCR', p .. 'ev')
  redis.call('PUBLISH', p .. 'presence', 'J\n' .. ev .. '\n' .. node .. '\n' .. name .. '\n' .. key)
  return ev
end

local function announce_leave(node, name)
  local ev = redis.call('INCR', p .. 'ev')
  redis.call('PUBLISH', p .. 'presence', 'L\n' .. ev .. '\n' .. node .. '\n' .. name)
  return ev
end

-- Takes offline the names NODE holds, except those in keep (a set of name keys).
local function drop_names(node, keep)
  for _, namekey in ipairs(redis.call('SMEMBERS', p .. 'users:' .. node)) do
    if not keep[namekey] then
      local current = redis.call('HGET', p .. 'online', namekey)
      if current then
        local holder, _, name = parse(current)
        if holder == node then
          redis.call('HDEL', p .. 'online', namekey)
          announce_leave(node, name)
        end
      end
      redis.call('SREM', p .. 'users:' .. node, namekey)
    end
  end
end
