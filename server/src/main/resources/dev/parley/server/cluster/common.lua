-- What every script of the cluster shares; the scripts are run with this in front of them.
-- Keys, all under the prefix ARGV[1]:
--   online        hash: name key -> "node \n session \n name \n public key", who holds each name
--   users:NODE    set: the name keys NODE holds
--   alive:NODE    NODE's heartbeat, expiring
--   nodes         sorted set: the nodes of the deployment, by last heartbeat
--   ev            the number of the last presence event
--   peerjs        hash: PeerJS id -> "node \n token", who holds each id
--   peerjs:NODE   set: the PeerJS ids NODE holds
-- Channels: presence (J and L events, and C and F for PeerJS ids, to every node), node:NODE (R,
-- D, K and P, to NODE).
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

-- Frees the PeerJS ids NODE holds.
local function drop_peerjs(node)
  for _, id in ipairs(redis.call('SMEMBERS', p .. 'peerjs:' .. node)) do
    local current = redis.call('HGET', p .. 'peerjs', id)
    if current and string.match(current, '^([^\n]*)\n') == node then
      redis.call('HDEL', p .. 'peerjs', id)
      redis.call('PUBLISH', p .. 'presence', 'F\n' .. id .. '\n' .. node)
    end
  end
  redis.call('DEL', p .. 'peerjs:' .. node)
end
